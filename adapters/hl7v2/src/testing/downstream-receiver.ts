import { buildAck, parseMessage, type ParsedMessage } from '../message/index.js';
import { MllpServer } from '../mllp/index.js';

/** How the receiver answers a message: an ACK code, or not at all. */
export type ReceiverAnswer = 'AA' | 'AE' | 'silent';

/**
 * A downstream system for outbound tests: a real MLLP listener on loopback that records every
 * message it gets and answers as `answer` decides (AA by default).
 */
export class DownstreamReceiver {
  readonly received: ParsedMessage[] = [];
  answer: (message: ParsedMessage) => ReceiverAnswer = () => 'AA';
  private server: MllpServer | undefined;

  private constructor(private readonly wantedPort: number) {}

  /** Listens on `port` (0: a free one). */
  static async start(port = 0): Promise<DownstreamReceiver> {
    const receiver = new DownstreamReceiver(port);
    await receiver.listen();
    return receiver;
  }

  /** A receiver that is not listening yet (a destination that is down). */
  static down(port: number): DownstreamReceiver {
    return new DownstreamReceiver(port);
  }

  get port(): number {
    return this.server?.port ?? this.wantedPort;
  }

  /** Starts (or restarts, after `close`) listening on the same port. */
  async listen(): Promise<void> {
    this.server = new MllpServer({
      port: this.port,
      closeTimeoutMs: 1_000,
      handler: (payload) => {
        const message = parseMessage(payload);
        this.received.push(message);
        const answer = this.answer(message);
        if (answer === 'silent') return null;
        return buildAck({
          header: message.header,
          delimiters: message.delimiters,
          code: answer,
          message,
          sendingApplication: 'DOWNSTREAM',
          error: answer === 'AE' ? { hl7Code: '204', message: 'Unknown patient' } : undefined,
        });
      },
    });
    await this.server.listen();
  }

  /** The messages received about one appointment (SCH-2.1), in arrival order. */
  about(appointmentId: string): ParsedMessage[] {
    return this.received.filter((message) => message.get('SCH-2.1') === appointmentId);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}
