import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  createEngagementPlugin,
  type DispatchOutcome,
  type EngagementControls,
} from '@caregraph/plugin-engagement';
import { adminUrlFrom, releaseBenchDatabase, withClient } from '../shared/bench-database.js';
import { exitOnHelp, numberFlag } from '../shared/bench-flags.js';
import { startBenchHub } from '../shared/bench-hub.js';
import {
  forkBenchChild,
  requestChild,
  runMain,
  runThenCleanUp,
  stopBenchChild,
  type BenchChild,
} from '../shared/child-process.js';
import { generateEngagementDatabase, type EngagementDatabase } from './generate.js';
import { sendWithNodemailer, type BaselineMessage } from './nodemailer-baseline.js';

const USAGE = `usage: npm run bench:engagement -- [flags]
  --appointments N      booked appointments to generate and plan (default 100000)
  --dispatch N          due messages to dispatch, and to send with the nodemailer baseline (default 5000)
  --batch-size N        the dispatcher's dispatch.batchSize (default 100, the plugin's default)
  --concurrency N       the dispatcher's dispatch.concurrency (default 10, the plugin's default)
  --chunk-size N        the sweep's planning.chunkSize (default 1000, the plugin's default)
  --database-url URL    admin connection (default $CAREGRAPH_BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test);
                        the run creates its database beside it and drops it at the end
  --keep                do not drop the generated database`;

const FROM = 'CareGraph Bench Clinic <noreply@bench-clinic.example>';
const SCHEDULE_GOAL_S = 60;

function options() {
  const { values } = parseArgs({
    options: {
      appointments: { type: 'string', default: '100000' },
      dispatch: { type: 'string', default: '5000' },
      'batch-size': { type: 'string', default: '100' },
      'chunk-size': { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '10' },
      'database-url': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  exitOnHelp(values.help, USAGE);
  const number = (name: string, value: string, min: number) => numberFlag(name, value, min, USAGE);
  return {
    appointments: number('appointments', values.appointments, 1),
    dispatch: number('dispatch', values.dispatch, 1),
    batchSize: number('batch-size', values['batch-size'], 1),
    chunkSize: number('chunk-size', values['chunk-size'], 1),
    concurrency: number('concurrency', values.concurrency, 1),
    adminUrl: adminUrlFrom(values['database-url']),
    keep: values.keep,
  };
}

const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

interface SinkCount {
  accepted: number;
  bytes: number;
}

/** The instant at which `count` messages are due (the due time of the count-th soonest). */
async function dueInstantFor(db: EngagementDatabase, count: number): Promise<Date> {
  return withClient(db.url, async (client) => {
    const { rows } = await client.query<{ due_at: Date }>(
      `select due_at from engagement_scheduled_message where status = 'scheduled'
        order by due_at offset $1 limit 1`,
      [count - 1],
    );
    if (!rows[0]) throw new Error(`fewer than ${count} messages planned: lower --dispatch`);
    return rows[0].due_at;
  });
}

async function countRows(db: EngagementDatabase, sql: string): Promise<number> {
  return withClient(db.url, async (client) => Number((await client.query(sql)).rows[0].n));
}

/** Messages of the size the plugin sends (its default reminder, filled in), one per recipient. */
function baselineMessages(count: number): BaselineMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const text = `Hi Dana,\n\nThis is a reminder of the appointment for Dana on Thursday, December 10, 2026 at 9:00 AM CST at CareGraph Clinic.\n\nTo change it, call +1 555 0100.`;
    return {
      to: `patient.${i}@example.org`,
      subject: 'Appointment reminder from CareGraph Clinic',
      text,
      html: `<p>${text.replaceAll('\n\n', '</p><p>')}</p>`,
    };
  });
}

function tally(outcomes: readonly DispatchOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

async function main(): Promise<void> {
  const opts = options();
  const watchdog = setTimeout(() => {
    log('engagement: exceeded its time budget of 1800 s, giving up');
    process.exit(2);
  }, 1_800_000);
  watchdog.unref();

  // Whole minutes, so the layout of the appointments is the same from run to run.
  const base = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  log(`generating ${opts.appointments} appointments…`);
  const db = await generateEngagementDatabase(opts.adminUrl, opts.appointments, base, log);
  let sink: BenchChild<{ port: number }> | undefined;
  let stopHub: (() => Promise<void>) | undefined;
  await runThenCleanUp(
    async () => {
      sink = await forkBenchChild<{ port: number }>(
        'smtp peer',
        new URL('./smtp-sink.js', import.meta.url),
        [],
      );
      const clock = { at: base, now: () => clock.at };
      let controls: EngagementControls | undefined;
      const { hub } = await startBenchHub(
        db.url,
        {},
        {
          plugins: [
            {
              plugin: createEngagementPlugin({ clock, onStart: (c) => (controls = c) }),
              config: {
                tenantId: db.tenantId,
                integrationUserId: db.integrationUserId,
                // The benchmark times sending, not waiting for the morning: every hour may send.
                sendingWindow: { start: '00:00', end: '24:00' },
                channels: {
                  email: { host: '127.0.0.1', port: sink.ready.port, security: 'none', from: FROM },
                },
                // The benchmark runs the sweep and the dispatcher itself (EngagementControls).
                planning: { sweepAtStart: false, sweepMinutes: 0, chunkSize: opts.chunkSize },
                dispatch: {
                  pollMs: 3_600_000,
                  batchSize: opts.batchSize,
                  concurrency: opts.concurrency,
                },
              },
            },
          ],
        },
      );
      stopHub = () => hub.stop();
      if (!controls) throw new Error('the engagement plugin did not start');

      log('planning (the "plan upcoming appointments" sweep)…');
      const planStarted = process.hrtime.bigint();
      const planCpu = process.cpuUsage();
      const planned = await controls.planUpcoming();
      const planSeconds = seconds(planStarted);
      const planUsage = process.cpuUsage(planCpu);
      const stored = await countRows(db, `select count(*) as n from engagement_scheduled_message`);

      log(`baseline: nodemailer, ${opts.dispatch} messages…`);
      const before = await requestChild<SinkCount>(sink, 'count');
      const baselineCpu = process.cpuUsage();
      const baselineSeconds = await sendWithNodemailer(
        sink.ready.port,
        FROM,
        baselineMessages(opts.dispatch),
      );
      const baselineUsage = process.cpuUsage(baselineCpu);
      const afterBaseline = await requestChild<SinkCount>(sink, 'count');

      log(`dispatching ${opts.dispatch} due messages…`);
      clock.at = await dueInstantFor(db, opts.dispatch);
      const communicationsBefore = await countRows(db, `select count(*) as n from communication`);
      const dispatchStarted = process.hrtime.bigint();
      const dispatchCpu = process.cpuUsage();
      const outcomes = await controls.dispatchDue();
      const dispatchSeconds = seconds(dispatchStarted);
      const { user, system } = process.cpuUsage(dispatchCpu);
      const afterDispatch = await requestChild<SinkCount>(sink, 'count');
      const communications =
        (await countRows(db, `select count(*) as n from communication`)) - communicationsBefore;
      const counts = tally(outcomes);
      const sent = counts.sent ?? 0;

      const baselineAccepted = afterBaseline.accepted - before.accepted;
      const dispatchAccepted = afterDispatch.accepted - afterBaseline.accepted;
      const baselineRate = baselineAccepted / baselineSeconds;
      const dispatchRate = sent / dispatchSeconds;
      const ratio = dispatchRate / baselineRate;
      const lines = [
        '',
        `engagement: ${db.appointments} booked appointments (${db.patients} patients), ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`,
        '',
        '| step | count | seconds | per second | CPU ms per message (this process) |',
        '| --- | ---: | ---: | ---: | ---: |',
        `| plan upcoming appointments (sweep) | ${planned.appointments} appointments, ${planned.planned} messages | ${planSeconds.toFixed(1)} | ${(planned.appointments / planSeconds).toFixed(0)} appointments, ${(planned.planned / planSeconds).toFixed(0)} messages | ${((planUsage.user + planUsage.system) / 1000 / Math.max(planned.planned, 1)).toFixed(3)} |`,
        `| baseline: nodemailer straight to the SMTP peer | ${baselineAccepted} sent | ${baselineSeconds.toFixed(1)} | ${baselineRate.toFixed(1)} | ${((baselineUsage.user + baselineUsage.system) / 1000 / Math.max(baselineAccepted, 1)).toFixed(2)} |`,
        `| CareGraph dispatcher | ${sent} sent of ${outcomes.length} claimed | ${dispatchSeconds.toFixed(1)} | ${dispatchRate.toFixed(1)} | ${((user + system) / 1000 / Math.max(outcomes.length, 1)).toFixed(2)} |`,
        '',
        `dispatch outcomes: ${JSON.stringify(counts)}; the SMTP peer accepted ${dispatchAccepted}; ${communications} Communications recorded`,
        `rows in engagement_scheduled_message: ${stored} (the sweep stored ${planned.planned}, in ${planned.chunks} chunks)`,
        `ratio dispatcher / baseline: ${ratio.toFixed(2)}`,
        `goal: ${opts.appointments >= 100_000 ? '' : `(at ${opts.appointments} appointments, not the goal's 100,000) `}scheduled in < ${SCHEDULE_GOAL_S} s: ${planSeconds < SCHEDULE_GOAL_S ? 'met' : 'NOT met'}; dispatch >= 0.5 × baseline: ${ratio >= 0.5 ? 'met' : 'NOT met'}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      // Every message the dispatcher sent reached the peer and has its Communication.
      return (
        baselineAccepted === opts.dispatch &&
        dispatchAccepted === sent &&
        communications === sent &&
        stored === planned.planned
      );
    },
    async () => {
      await stopHub?.().catch((error: unknown) => log(`stopping the hub: ${String(error)}`));
      if (sink) await stopBenchChild(sink);
      await releaseBenchDatabase(opts.adminUrl, db.name, opts.keep, log);
    },
  );
}

runMain(main);
