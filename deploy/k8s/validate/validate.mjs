// Validates the kit's Kubernetes manifests without a cluster:
//   1. renders every kustomization under the given directory (base, overlays, keycloak) with the subset of Kustomize
//      the kit uses (resources, patches of maps, labels without selectors, images) and fails on any other field, so
//      a manifest can never rely on something this check did not render;
//   2. validates every rendered object against the official Kubernetes JSON schemas (kubernetes-models, and
//      @kubernetes-models/gateway-api for HTTPRoute);
//   3. checks the kit's own rules: probes point at paths the server really serves (read from ObserveService.java) on a
//      declared port, the observe port matches OBSERVE_PORT, secrets (keys included) are referenced (secretKeyRef), never
//      inlined, the MCP server's pods share one request state key from a Secret (the rounds of a 2026-07-28 multi
//      round-trip request may reach different pods), and every container runs as non-root with a read-only root
//      filesystem and resources set.
// Usage: node validate.mjs <deploy/k8s> <ObserveService.java>   (prints what it checked; exit 1 with every problem)
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const [root, observeSource] = process.argv.slice(2).map((p) => resolve(p));
if (!root || !observeSource) {
  console.error('usage: node validate.mjs <deploy/k8s directory> <ObserveService.java>');
  process.exit(2);
}
const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);

function loadYaml(file) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const objects = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      doc.errors.forEach((e) => problem(relative(root, file), `YAML: ${e.message.split('\n')[0]}`));
      continue;
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push({ file: relative(root, file), object: value });
  }
  return objects;
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'patches', 'labels', 'images']);

function render(dir) {
  const file = join(dir, 'kustomization.yaml');
  const where = relative(root, file);
  const [k] = loadYaml(file).map((o) => o.object);
  for (const key of Object.keys(k ?? {})) {
    if (!SUPPORTED.has(key)) problem(where, `field "${key}" is not rendered by this check; keep to ${[...SUPPORTED]}`);
  }
  let objects = [];
  for (const entry of k.resources ?? []) {
    const path = join(dir, entry);
    if (!existsSync(path)) {
      problem(where, `resource ${entry} does not exist`);
    } else if (statSync(path).isDirectory()) {
      objects = objects.concat(render(path));
    } else {
      objects = objects.concat(loadYaml(path));
    }
  }
  for (const patch of k.patches ?? []) {
    const path = join(dir, patch.path ?? '');
    if (!patch.path || !existsSync(path)) {
      problem(where, `patch ${patch.path} does not exist (only "path:" patches are rendered)`);
      continue;
    }
    for (const { object: p } of loadYaml(path)) {
      const target = objects.find((o) => o.object.kind === p.kind && o.object.metadata?.name === p.metadata?.name);
      if (!target) {
        problem(relative(root, path), `patch matches no ${p.kind} ${p.metadata?.name}`);
        continue;
      }
      target.object = merge(target.object, p, relative(root, path));
      target.file += ` + ${relative(root, path)}`;
    }
  }
  for (const label of k.labels ?? []) {
    if (label.includeSelectors !== false) problem(where, 'labels must say includeSelectors: false');
    for (const o of objects) {
      o.object.metadata = o.object.metadata ?? {};
      o.object.metadata.labels = { ...(o.object.metadata.labels ?? {}), ...label.pairs };
    }
  }
  for (const image of k.images ?? []) {
    for (const o of objects) {
      for (const c of containers(o.object)) {
        if (c.image === image.name) c.image = `${image.newName ?? image.name}:${image.newTag}`;
      }
    }
  }
  return objects;
}

// A strategic merge of maps; a list in a patch would need Kubernetes' merge keys, which this check does not apply.
function merge(base, patch, where) {
  const out = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) {
      problem(where, `patch sets the list "${key}": only map patches are rendered here`);
    } else if (value && typeof value === 'object' && base[key] && typeof base[key] === 'object') {
      out[key] = merge(base[key], value, where);
    } else {
      out[key] = value;
    }
  }
  return out;
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
    const serverConfig = all.find((o) => o.object.kind === 'ConfigMap' && o.object.data?.MCP_RESOURCE
      && (c.envFrom ?? []).some((e) => e.configMapRef?.name === o.object.metadata?.name));
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
      const config = all.find((o) => o.object.kind === 'ConfigMap'
        && (c.envFrom ?? []).some((e) => e.configMapRef?.name === o.object.metadata?.name));
      const observePort = Number(config?.object.data?.OBSERVE_PORT ?? config?.object.data?.SERVER_PORT);
      if (port !== undefined && port !== observePort) {
        problem(at, `${probe} port ${port} is not where the server serves health (OBSERVE_PORT ${observePort})`);
      }
    }
  }
}

const dirs = [];
(function walk(dir) {
  if (existsSync(join(dir, 'kustomization.yaml'))) dirs.push(dir);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name !== 'node_modules' && name !== 'validate' && statSync(path).isDirectory()) walk(path);
  }
})(root);

let checked = 0;
for (const dir of dirs) {
  const objects = render(dir);
  for (const { file, object } of objects) {
    const where = `${relative(root, dir) || '.'} -> ${file} ${object.kind}/${object.metadata?.name}`;
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
  console.log(`rendered ${relative(root, dir) || '.'}: ${objects.length} objects`);
}
if (problems.length > 0) {
  console.error(`INVALID: ${problems.length} problem(s) in ${root}`);
  problems.forEach((p) => console.error(`  ${p}`));
  process.exit(1);
}
console.log(`valid: ${checked} rendered objects in ${dirs.length} kustomizations (Kubernetes schemas + the kit's rules)`);
