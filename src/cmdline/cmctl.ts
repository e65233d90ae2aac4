// cert-manager's CLI, shown beside kubectl for a Certificate. It takes kubectl's own --kubeconfig,
// --context and -n, so the shown command reads the same cluster as the run did; they follow the
// subcommand, where cmctl accepts them whether it declares them on the root or on the subcommand.
import { scopeFlags, type KubectlScope } from './kubectl.js';
import { displayCommand } from './quote.js';

export const cmctlCommand = (scope: KubectlScope, args: readonly string[]): string =>
  displayCommand('cmctl', [...args, ...scopeFlags(scope), '-n', scope.namespace]);
