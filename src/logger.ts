import pino, { type DestinationStream, type Logger } from 'pino';

/** JSON lines; every line of a request adds sessionId, containerId and an event name where it is logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    { level, base: { service: 'datastory' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? pino.destination(1),
  );
}
