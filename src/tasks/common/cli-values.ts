// Parsers for CLI option values that task families declare, shared so every command reports bad values alike.

import { InvalidArgumentError } from "commander";

export function integerOption(flag: string, min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} must be an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}

export function numberOption(flag: string, min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${flag} must be a number ≥ ${min}, got "${value}"`);
    return n;
  };
}
