import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Every Redis client of the process comes from here. While Redis is unreachable, ioredis emits
 * 'error' on each reconnection attempt and, with nobody listening, prints "Unhandled error
 * event" every time. This client says it once: a warning when the connection is lost or cannot
 * be made, and one line when it is ready again. Only the error's code goes into the log
 * (ECONNREFUSED, ETIMEDOUT…), never the URL, which may carry a password.
 */
export function createRedisClient(target: string | RedisOptions, logger: Logger, options: RedisOptions = {}): Redis {
  const client = typeof target === 'string' ? new Redis(target, options) : new Redis({ ...target, ...options });
  let down = false;
  client.on('error', (error: NodeJS.ErrnoException) => {
    if (down) return;
    down = true;
    logger.warn({ redisError: error.code ?? error.name }, 'Redis is unreachable; retrying in the background');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis is reachable again');
  });
  return client;
}
