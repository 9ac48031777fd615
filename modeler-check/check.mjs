// What Camunda Modeler gets, checked with Camunda's own libraries:
//  1. every element template in element-templates/ (and versioned/) with the official validator
//     (@bpmn-io/element-templates-validator, the JSON schema Modeler uses);
//  2. every example process with @camunda/linting as Modeler 8.8 runs it: no error, no missing
//     diagram (no-bpmndi), and the process declares Camunda 8.8;
//  3. every templated element of an example against its template, as Modeler would apply it:
//     the template and version exist, hidden values match, required fields are set, and nothing is
//     bound that the template does not offer.
// Usage: node check.mjs [repo root]. Prints one line per file and "N passed, N failed"; exit 1 on a failure.
import { readFileSync, readdirSync, existsSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] || join(here, '..'));
const require = createRequire(import.meta.url);
const { validateZeebe } = require('@bpmn-io/element-templates-validator');

// @camunda/linting ships sources written for bundlers (extensionless imports, JSON imports):
// bundle them once for Node, as Modeler bundles them for the browser.
async function loadLinting() {
  const out = join(here, 'dist', 'linting.mjs');
  const lock = join(here, 'package-lock.json');
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(lock).mtimeMs) {
    mkdirSync(dirname(out), { recursive: true });
    const esbuild = await import('esbuild');
    await esbuild.build({
      stdin: { contents: "export { Linter } from '@camunda/linting';", resolveDir: here, loader: 'js' },
      bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning'
    });
  }
  return import(pathToFileURL(out).href);
}

let passed = 0, failed = 0;
function report(name, problems) {
  if (problems.length) {
    failed++;
    console.log(`FAIL ${name}`);
    problems.forEach(p => console.log(`  - ${p}`));
  } else {
    passed++;
    console.log(`ok   ${name}`);
  }
}

// ---- 1. templates
const templateDir = join(root, 'element-templates');
const templateFiles = [
  ...readdirSync(templateDir).filter(f => f.endsWith('.json')).map(f => join(templateDir, f)),
  ...(existsSync(join(templateDir, 'versioned'))
    ? readdirSync(join(templateDir, 'versioned')).filter(f => f.endsWith('.json')).map(f => join(templateDir, 'versioned', f))
    : [])
];
const templates = new Map();
for (const file of templateFiles) {
  const text = readFileSync(file, 'utf8');
  const problems = [];
  const { valid, errors } = validateZeebe(text);
  if (!valid) {
    errors.forEach(e => problems.push(`${e.dataPath || '/'}: ${e.message}`));
  }
  const template = JSON.parse(text);
  templates.set(`${template.id}@${template.version}`, template);
  report(`template ${file.substring(root.length + 1)}`, problems);
}
if (!templateFiles.length) {
  report('templates', ['no template found in ' + templateDir]);
}

// ---- 2. and 3. examples
const { Linter } = await loadLinting();
const linter = new Linter({ modeler: 'desktop', type: 'cloud' });
const processDir = join(root, 'connector-runtime', 'src', 'main', 'resources', 'processes');
const examples = readdirSync(processDir).filter(f => f.endsWith('.bpmn')).sort();
for (const file of examples) {
  const xml = readFileSync(join(processDir, file), 'utf8');
  const problems = [];
  const { rootElement } = await linter._moddle.fromXML(xml);
  const version = rootElement.get('modeler:executionPlatformVersion') || '';
  if (rootElement.get('modeler:executionPlatform') !== 'Camunda Cloud' || !version.startsWith('8.8.')) {
    problems.push(`declares ${rootElement.get('modeler:executionPlatform')} ${version}, not Camunda Cloud 8.8`);
  }
  for (const r of await linter.lint(rootElement)) {
    if (r.category === 'error' || r.rule === 'no-bpmndi' || r.rule === 'bpmnlint/no-bpmndi') {
      problems.push(`${r.category} ${r.rule} at ${r.id}: ${r.message}`);
    } else {
      console.log(`  (${r.category} ${r.rule} at ${r.id}: ${r.message})`);
    }
  }
  for (const element of templatedElements(rootElement)) {
    problems.push(...checkAgainstTemplate(element));
  }
  report(`example ${file}`, problems);
}
if (!examples.length) {
  report('examples', ['no example process found in ' + processDir]);
}

console.log(`modeler-check: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// ---- helpers

function templatedElements(definitions) {
  const found = [];
  const visit = element => {
    if (!element || typeof element !== 'object') return;
    if (element.$type && element.get && element.get('zeebe:modelerTemplate')) found.push(element);
    for (const child of [...(element.rootElements || []), ...(element.flowElements || [])]) visit(child);
  };
  visit(definitions);
  return found;
}

/** What the element carries, by binding: "zeebe:input/<target>", "zeebe:taskHeader/<key>", ... */
function boundValues(element) {
  const values = new Map();
  for (const ext of (element.extensionElements && element.extensionElements.values) || []) {
    if (ext.$type === 'zeebe:TaskDefinition') {
      if (ext.type !== undefined) values.set('zeebe:taskDefinition/type', ext.type);
      if (ext.retries !== undefined) values.set('zeebe:taskDefinition/retries', ext.retries);
    } else if (ext.$type === 'zeebe:IoMapping') {
      (ext.inputParameters || []).forEach(p => values.set(`zeebe:input/${p.target}`, p.source));
      (ext.outputParameters || []).forEach(p => values.set(`zeebe:output/${p.target}`, p.source));
    } else if (ext.$type === 'zeebe:TaskHeaders') {
      (ext.values || []).forEach(h => values.set(`zeebe:taskHeader/${h.key}`, h.value));
    } else if (ext.$type === 'zeebe:Properties') {
      (ext.properties || []).forEach(p => values.set(`zeebe:property/${p.name}`, p.value));
    }
  }
  return values;
}

function bindingKey(binding) {
  switch (binding.type) {
    case 'zeebe:taskDefinition': return `zeebe:taskDefinition/${binding.property}`;
    case 'zeebe:taskDefinition:type': return 'zeebe:taskDefinition/type';
    case 'zeebe:input': return `zeebe:input/${binding.name}`;
    case 'zeebe:output': return `zeebe:output/${binding.source}`;
    case 'zeebe:taskHeader': return `zeebe:taskHeader/${binding.key}`;
    case 'zeebe:property': return `zeebe:property/${binding.name}`;
    default: return null;
  }
}

/** The value a property has on the element, as Modeler reads it for conditions. */
function propertyValue(property, values) {
  const value = values.get(bindingKey(property.binding));
  if (property.type === 'Boolean' && typeof value === 'string') return value === '=true' || value === 'true';
  return value;
}

function isActive(property, byId, values, seen = new Set()) {
  if (!property.condition) return true;
  if (seen.has(property)) return false;
  seen.add(property);
  const holds = condition => {
    if (condition.allMatch) return condition.allMatch.every(holds);
    const other = byId.get(condition.property);
    if (!other || !isActive(other, byId, values, seen)) return condition.isActive === false;
    if ('isActive' in condition) return condition.isActive === true;
    const value = propertyValue(other, values);
    if ('equals' in condition) return value === condition.equals;
    if ('oneOf' in condition) return condition.oneOf.includes(value);
    return false;
  };
  return holds(property.condition);
}

function checkAgainstTemplate(element) {
  const id = element.get('zeebe:modelerTemplate');
  const version = element.get('zeebe:modelerTemplateVersion');
  const template = templates.get(`${id}@${version}`);
  const where = `${element.id} (${id} v${version})`;
  if (!template) return [`${where}: no such template in element-templates/`];
  const newest = Math.max(...[...templates.values()].filter(t => t.id === id).map(t => t.version));
  const problems = [];
  if (Number(version) !== newest) problems.push(`${where}: made with an older version; the newest is ${newest}`);
  const values = boundValues(element);
  const byId = new Map(template.properties.filter(p => p.id).map(p => [p.id, p]));
  const offered = new Set();
  for (const property of template.properties) {
    const key = bindingKey(property.binding);
    if (!key || !isActive(property, byId, values)) continue;
    offered.add(key);
    const value = values.get(key);
    if (property.type === 'Hidden' && value !== property.value) {
      problems.push(`${where}: ${key} is ${JSON.stringify(value)}, the template says ${JSON.stringify(property.value)}`);
    }
    const required = (property.constraints && property.constraints.notEmpty) || (property.optional !== true && property.value !== undefined);
    if (required && (value === undefined || value === '')) {
      problems.push(`${where}: ${property.label || key} is required but not set (${key})`);
    }
    if (property.type === 'Dropdown' && value !== undefined && !property.choices.some(c => c.value === value)) {
      problems.push(`${where}: ${key} is ${JSON.stringify(value)}, not one of the template's choices`);
    }
  }
  for (const key of values.keys()) {
    if (!offered.has(key)) problems.push(`${where}: binds ${key}, which the template does not offer here`);
  }
  return problems;
}
