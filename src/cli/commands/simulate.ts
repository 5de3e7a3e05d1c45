export async function runSimulate(_argv: string[]): Promise<number> {
  throw new Error('simulate: not built yet');
}
