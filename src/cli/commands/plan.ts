export async function runPlan(_argv: string[]): Promise<number> {
  throw new Error('plan: not built yet');
}
