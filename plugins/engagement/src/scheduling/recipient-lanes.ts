/**
 * The lanes of a dispatch batch: its messages grouped by recipient, each lane and the lanes in
 * the order claimed (soonest due first). Lanes run concurrently; a lane's messages one after the
 * other, so the frequency caps of a recipient see each of their sends before the next decision.
 */
export function recipientLanes<T extends { recipientId: string }>(rows: readonly T[]): T[][] {
  const lanes = new Map<string, T[]>();
  for (const row of rows) {
    const lane = lanes.get(row.recipientId);
    if (lane) lane.push(row);
    else lanes.set(row.recipientId, [row]);
  }
  return [...lanes.values()];
}
