// Checks the kit's Kubernetes manifests, as Kustomize rendered them (validate.sh renders every kustomization with
// `kubectl kustomize`, or a standalone `kustomize build`, into one file each), without a cluster:
//   1. every rendered object against the official Kubernetes JSON schemas (kubernetes-models, and
//      @kubernetes-models/gateway-api for HTTPRoute);
//   2. the kit's own rules: probes point at paths the server really serves (read from ObserveService.java) on a
//      declared port, the observe port matches OBSERVE_PORT, secrets (keys included) are referenced (secretKeyRef), never
//      inlined, the MCP server's pods share one request state key from a Secret (the rounds of a 2026-07-28 multi
//      round-trip request may reach different pods), and every container runs as non-root with a read-only root
//      filesystem and resources set.
// Usage: node validate.mjs <rendered dir> <ObserveService.java>
//   <rendered dir> holds <kustomization path>.yaml per kustomization (base.yaml, overlays/modern-only.yaml, ...).
// Prints what it checked; exit 1 with every problem.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const [rendered, observeSource] = process.argv.slice(2).map((p) => resolve(p));
if (!rendered || !observeSource) {
  console.error('usage: node validate.mjs <directory of rendered kustomizations> <ObserveService.java>');
  process.exit(2);
}
const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);

// One kustomization's output: the objects of a multi-document YAML stream.
function loadRendered(file, name) {
  const objects = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) {
      doc.errors.forEach((e) => problem(name, `YAML: ${e.message.split('\n')[0]}`));
      continue;
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

function podSpec(object) {
  if (['Deployment', 'Job', 'StatefulSet', 'DaemonSet'].includes(object.kind)) return object.spec?.template?.spec;
  return undefined;
}

function containers(object) {
  const spec = podSpec(object);
  return spec ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])] : [];
}

async function model(object) {
  const [group, version] = object.apiVersion?.includes('/') ? object.apiVersion.split('/') : [null, object.apiVersion];
  const module = group === null ? `kubernetes-models/${version}`
    : group.startsWith('gateway.networking') ? `@kubernetes-models/gateway-api/${group}/${version}`
      : `kubernetes-models/${group}/${version}`;
  try {
    return (await import(`${module}/${object.kind}`))[object.kind];
  } catch {
    return undefined;
  }
}

// The paths the server really serves for health: ObserveService registers its rules under /observe.
function servedPaths() {
  const source = readFileSync(observeSource, 'utf8');
  return new Set([...source.matchAll(/\.get\("(\/health[^"]*)"/g)].map((m) => `/observe${m[1]}`));
}

const SECRETISH = /SECRET|PASSWORD|TOKEN|CREDENTIAL|_KEYS?$/i;

function kitRules(where, object, all) {
  if (object.kind === 'Secret') problem(where, 'a Secret is inlined in the manifests: create it outside, reference it');
  if (object.kind === 'ConfigMap') {
    for (const key of Object.keys(object.data ?? {})) {
      if (SECRETISH.test(key)) problem(where, `ConfigMap key ${key} looks like a secret: use a Secret and secretKeyRef`);
    }
  }
  const spec = podSpec(object);
  if (!spec) return;
  if (spec.securityContext?.runAsNonRoot !== true) problem(where, 'pod securityContext.runAsNonRoot must be true');
  const paths = servedPaths();
  for (const c of containers(object)) {
    const at = `${where} container ${c.name}`;
    if (c.securityContext?.readOnlyRootFilesystem !== true) problem(at, 'securityContext.readOnlyRootFilesystem must be true');
    if (c.securityContext?.allowPrivilegeEscalation !== false) problem(at, 'securityContext.allowPrivilegeEscalation must be false');
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (!c.resources?.[kind]?.[resource]) problem(at, `resources.${kind}.${resource} must be set`);
      }
    }
    for (const env of c.env ?? []) {
      if (SECRETISH.test(env.name) && env.value !== undefined) {
        problem(at, `env ${env.name} is inlined: take it from a Secret (valueFrom.secretKeyRef)`);
      }
      if (SECRETISH.test(env.name) && !env.valueFrom?.secretKeyRef) problem(at, `env ${env.name} must come from secretKeyRef`);
    }
    if (object.kind !== 'Deployment') continue;
    const serverConfig = all.find((o) => o.kind === 'ConfigMap' && o.data?.MCP_RESOURCE
      && (c.envFrom ?? []).some((e) => e.configMapRef?.name === o.metadata?.name));
    const stateKey = (c.env ?? []).find((e) => e.name === 'MCP_REQUEST_STATE_KEY');
    if (serverConfig && !stateKey?.valueFrom?.secretKeyRef) {
      problem(at, 'env MCP_REQUEST_STATE_KEY (secretKeyRef) is missing: without one key shared by every pod, a pod '
        + 'refuses the requestState another pod sealed');
    }
    const ports = new Map((c.ports ?? []).map((p) => [p.name, p.containerPort]));
    for (const [probe, want] of [['readinessProbe', '/observe/health/ready'], ['livenessProbe', '/observe/health/live']]) {
      const get = c[probe]?.httpGet;
      if (!get) {
        problem(at, `${probe} (httpGet ${want}) is missing`);
        continue;
      }
      if (get.path !== want) problem(at, `${probe} path ${get.path} should be ${want}`);
      if (!paths.has(get.path)) problem(at, `${probe} path ${get.path} is not served by the server (ObserveService serves ${[...paths]})`);
      const port = typeof get.port === 'number' ? get.port : ports.get(get.port);
      if (port === undefined) problem(at, `${probe} port ${get.port} is not a declared container port`);
      const config = all.find((o) => o.kind === 'ConfigMap'
        && (c.envFrom ?? []).some((e) => e.configMapRef?.name === o.metadata?.name));
      const observePort = Number(config?.data?.OBSERVE_PORT ?? config?.data?.SERVER_PORT);
      if (port !== undefined && port !== observePort) {
        problem(at, `${probe} port ${port} is not where the server serves health (OBSERVE_PORT ${observePort})`);
      }
    }
  }
}

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.yaml')) files.push(path);
  }
})(rendered);
if (files.length === 0) problem(rendered, 'no rendered kustomization to check');

let checked = 0;
for (const file of files) {
  const name = relative(rendered, file).replace(/\.yaml$/, '');
  const objects = loadRendered(file, name);
  for (const object of objects) {
    const where = `${name} -> ${object.kind}/${object.metadata?.name}`;
    const Model = await model(object);
    if (!Model) {
      problem(where, `no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (e) {
      problem(where, `schema: ${String(e.message).split('\n').slice(0, 3).join('; ')}`);
    }
    kitRules(where, object, objects);
    checked++;
  }
  console.log(`checked ${name}: ${objects.length} objects`);
}
if (problems.length > 0) {
  console.error(`INVALID: ${problems.length} problem(s)`);
  problems.forEach((p) => console.error(`  ${p}`));
  process.exit(1);
}
console.log(`valid: ${checked} rendered objects in ${files.length} kustomizations (Kubernetes schemas + the kit's rules)`);
