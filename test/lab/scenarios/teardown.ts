import { sleep } from '../exec';
import { node, python } from '../peers';
import type { Step } from '../peers/teardown-modes';
import type { Stage } from '../scenario';

const TEARDOWN_PORT = 8881;

export type PlanStep = Omit<Step, 'port'>;

/** Starts the teardown server on every address of `listen`, plays the client's plan against
 * TEARDOWN_PORT, then keeps the capture running for `holdMs` (what was left open stays open until
 * the capture ends). */
export async function playTeardown(stage: Stage, listen: string[], plan: PlanStep[], holdMs = 0): Promise<void> {
  await stage.serve('server', 'teardown-server', python('teardown-server.py', ['--listen', listen.join(','), '--port', TEARDOWN_PORT]));
  const steps: Step[] = plan.map((s) => ({ ...s, port: TEARDOWN_PORT }));
  await stage.runToEnd('client', 'teardown-client', node('teardown-client.ts', ['--plan', JSON.stringify(steps)]));
  await sleep(holdMs);
}
