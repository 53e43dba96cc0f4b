import { pino } from 'pino';

/** One JSON logger for the process; quiet under tests unless LOG_LEVEL says otherwise. */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info'),
});
