import pino, { type Logger } from 'pino';

/**
 * The server's logger: JSON lines on stdout (pino). Log conversation ids, intents and
 * numbers; never message text at info level (it may hold personal data), and never secrets.
 *
 * @example createLogger('info').info({ conversationId }, 'escalated')
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'parley' },
      // Belt and braces: fields that could carry text or secrets are masked wherever they appear.
      redact: { paths: ['text', '*.text', 'secret', '*.secret', 'password', '*.password', 'token', '*.token', 'req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    },
    destination,
  );
}
