/** Privacy: PII redaction before anything is stored for training or logged; retention, export, deletion. */
export { redact, createRedactor, type Redactor } from './redact.js';
export { RedactOptions, PiiType, DEFAULT_TYPES, type PiiSpan, type RedactResult } from './options.js';
export { luhnValid, ibanValid } from './checksums.js';
export { applyRetention, exportCustomer, deleteCustomer, RetentionOptions, type CustomerExport } from './retention.js';
