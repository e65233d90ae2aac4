// The simulated Apigee cluster: a fake kube-apiserver that the real kubectl talks to, and the
// builders of the objects and logs it serves.
export { startSimulator, type Simulator, type SimulatorOptions } from './server.js';
export { mintServerTls, sharedServerTls, type ServerTls } from './tls.js';
export { kubeconfigYaml, writeKubeconfig, SIM_CONTEXT, type KubeconfigOptions } from './kubeconfig.js';
export { DEFAULT_USER, forbiddenMessage } from './rbac.js';
export { AGGREGATED_V2, APIGEE_GROUP, DEFAULT_APIGEE_VERSIONS, resourceCatalog, type ApigeePlural, type ResourceType } from './discovery.js';
export * from './scenario.js';
export type {
  FaultCode,
  FaultRule,
  K8sObject,
  LogEntry,
  LogGenerator,
  LogLines,
  LogMap,
  LogSource,
  ObjectMeta,
  RbacPolicy,
  RbacRule,
  RequestRecord,
  SimUser,
} from './types.js';
