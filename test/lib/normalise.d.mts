export function normalise(out: string): string;
