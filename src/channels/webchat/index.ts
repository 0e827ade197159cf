/** The web chat channel: the WebSocket protocol server and the widget's static files. */
export { attachWebchat, type AttachWebchatOptions, type WebchatHandle } from './attach.js';
export { webchatRouter } from './router.js';
export { resolveWebchatOptions, WebchatOptionsSchema, type WebchatOptions, type WebchatLogger } from './options.js';
export { CloseCode, type JoinInfo } from './session.js';
export { parseClientFrame, ClientFrame, type ServerFrame, type ErrorCode } from './protocol.js';
export { signResumeToken, verifyResumeToken, type ResumeClaims } from './resume-token.js';
export { TokenBucket } from './rate-limit.js';
