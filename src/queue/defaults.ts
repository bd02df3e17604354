// The queue's default Redis key prefix, apart from the connection code so command-line help can show it without
// loading the Redis client.
export const DEFAULT_PREFIX = "hgym";
