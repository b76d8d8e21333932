/** A parsed accessor path: field, repetition, component, sub-component (all 1-based). */
export interface FieldPath {
  field: number;
  repetition: number;
  component: number;
  subcomponent: number;
}

/** A parsed message path: a segment name and its occurrence, then a {@link FieldPath}. */
export interface MessagePath extends FieldPath {
  segment: string;
  occurrence: number;
}

const FIELD_PATH = /^(\d+)(?:\[(\d+)\])?(?:\.(\d+))?(?:\.(\d+))?$/;
const MESSAGE_PATH = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?-(.+)$/;

const fieldCache = new Map<string, FieldPath>();
const messageCache = new Map<string, MessagePath>();
const CACHE_LIMIT = 4096;

function positive(text: string | undefined, path: string): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (n < 1) throw new RangeError(`Invalid HL7 path "${path}": positions start at 1.`);
  return n;
}

/** Parses `3`, `3[2]`, `3.1`, `3[2].4.2`. Throws a RangeError for anything else. */
export function parseFieldPath(path: string): FieldPath {
  const cached = fieldCache.get(path);
  if (cached) return cached;
  const m = FIELD_PATH.exec(path);
  if (!m) throw new RangeError(`Invalid HL7 field path "${path}" (expected e.g. 3[2].4.2).`);
  const parsed: FieldPath = {
    field: Number(m[1]),
    repetition: positive(m[2], path),
    component: positive(m[3], path),
    subcomponent: positive(m[4], path),
  };
  if (fieldCache.size >= CACHE_LIMIT) fieldCache.clear();
  fieldCache.set(path, parsed);
  return parsed;
}

/** Parses `PID-3[2].1`, `MSH-9.2`, `OBX[2]-5` (the second OBX). Throws a RangeError otherwise. */
export function parseMessagePath(path: string): MessagePath {
  const cached = messageCache.get(path);
  if (cached) return cached;
  const m = MESSAGE_PATH.exec(path);
  if (!m) throw new RangeError(`Invalid HL7 path "${path}" (expected e.g. PID-3[2].1).`);
  const parsed: MessagePath = {
    segment: m[1]!,
    occurrence: positive(m[2], path),
    ...parseFieldPath(m[3]!),
  };
  if (messageCache.size >= CACHE_LIMIT) messageCache.clear();
  messageCache.set(path, parsed);
  return parsed;
}
