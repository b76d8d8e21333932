/** The MLLP transport of the HL7 v2 adapter: framing, the listener and the client primitive. */
export { MllpClient } from './mllp-client.js';
export type { MllpClientOptions, MllpClientTlsOptions, MllpSendOptions } from './mllp-client.js';
export { MllpError, MllpErrorCode } from './mllp-error.js';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_OVERSIZE_PREFIX_BYTES,
  frame,
  MLLP_END_BLOCK,
  MLLP_END_CR,
  MLLP_START_BLOCK,
  MllpFrameDecoder,
} from './mllp-framer.js';
export type { MllpFrameDecoderOptions, MllpFrameEvent } from './mllp-framer.js';
export { MllpServer } from './mllp-server.js';
export type { MllpServerAddress } from './mllp-server.js';
export { DEFAULT_MLLP_HOST, DEFAULT_MLLP_PORT, silentMllpLogger } from './mllp-server-options.js';
export type {
  MllpConnectionInfo,
  MllpFrameContext,
  MllpFrameHandler,
  MllpLogger,
  MllpOversizeContext,
  MllpOversizeHandler,
  MllpResponse,
  MllpServerOptions,
  MllpServerTlsOptions,
  MllpTlsInfo,
} from './mllp-server-options.js';
export type { MllpServerStats } from './mllp-server-stats.js';
