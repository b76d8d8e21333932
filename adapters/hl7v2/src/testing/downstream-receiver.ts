import { buildAck, parseMessage, type ParsedMessage } from '../message/index.js';
import { MllpServer, type MllpServerTlsOptions, type MllpTlsInfo } from '../mllp/index.js';

/** How the receiver answers a message: an ACK code, or not at all. */
export type ReceiverAnswer = 'AA' | 'AE' | 'silent';

/** How a receiver listens. */
export interface DownstreamReceiverOptions {
  /** Listen with TLS (`requestCert` with `ca`: mutual TLS); plain TCP when absent. */
  tls?: MllpServerTlsOptions;
}

/**
 * A downstream system for outbound tests: a real MLLP listener on loopback (TCP or TLS) that
 * records every message it gets and answers as `answer` decides (AA by default).
 */
export class DownstreamReceiver {
  readonly received: ParsedMessage[] = [];
  /** The TLS side of the connection each message of `received` came on (TLS listeners only). */
  readonly receivedOver: (MllpTlsInfo | undefined)[] = [];
  answer: (message: ParsedMessage) => ReceiverAnswer = () => 'AA';
  private server: MllpServer | undefined;

  private constructor(
    private readonly wantedPort: number,
    private readonly options: DownstreamReceiverOptions,
  ) {}

  /** Listens on `port` (0: a free one). */
  static async start(
    port = 0,
    options: DownstreamReceiverOptions = {},
  ): Promise<DownstreamReceiver> {
    const receiver = new DownstreamReceiver(port, options);
    await receiver.listen();
    return receiver;
  }

  /** A receiver that is not listening yet (a destination that is down). */
  static down(port: number, options: DownstreamReceiverOptions = {}): DownstreamReceiver {
    return new DownstreamReceiver(port, options);
  }

  get port(): number {
    return this.server?.port ?? this.wantedPort;
  }

  /** Starts (or restarts, after `close`) listening on the same port. */
  async listen(): Promise<void> {
    this.server = new MllpServer({
      port: this.port,
      tls: this.options.tls,
      closeTimeoutMs: 1_000,
      handler: (payload, { connection }) => {
        const message = parseMessage(payload);
        this.received.push(message);
        this.receivedOver.push(connection.tls);
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

  /** TLS handshakes that failed (a client that did not trust the certificate, or had none). */
  get tlsErrors(): number {
    return this.server?.stats().tlsErrors ?? 0;
  }

  /** The messages received about one appointment (SCH-2.1), in arrival order. */
  about(appointmentId: string): ParsedMessage[] {
    return this.received.filter((message) => message.get('SCH-2.1') === appointmentId);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}

/**
 * An outbound destination that takes only late application ACKs (no SIU events), pointed at a
 * receiver that answers as `ENGINE`.
 */
export function applicationAckDestination(name: string, receiver: DownstreamReceiver) {
  return {
    name,
    host: '127.0.0.1',
    port: receiver.port,
    events: [],
    receivingApplication: 'ENGINE',
    ackTimeoutSeconds: 2,
  };
}
