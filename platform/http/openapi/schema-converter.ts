/**
 * The schemas of one document: zod schemas converted by `z.toJSONSchema` (JSON Schema 2020-12,
 * `input` mode), each named schema once as a component (`#/components/schemas/<name>`) and
 * referenced wherever it is nested, raw JSON Schema passed through.
 */
import { z } from 'zod';
import type { JsonSchema, NamedSchema, SchemaDoc } from './route-doc.js';

function isZod(schema: SchemaDoc): schema is z.ZodType {
  return schema instanceof z.ZodType;
}

function isNamed(schema: SchemaDoc): schema is NamedSchema {
  return (
    typeof (schema as NamedSchema).name === 'string' &&
    (schema as NamedSchema).schema instanceof z.ZodType
  );
}

/** Rewrites zod's `#/$defs/<name>` references to the document's components. */
function relocateRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relocateRefs);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
        ? `#/components/schemas/${v.slice('#/$defs/'.length)}`
        : relocateRefs(v);
  }
  return out;
}

/** Converts the schemas of one document, naming each named schema once. */
export class SchemaConverter {
  readonly components: Record<string, JsonSchema> = {};
  private readonly registry = z.registry<{ id: string }>();
  private readonly byName = new Map<string, z.ZodType>();

  /** Named schemas first, so a schema nested in another is referenced, not copied. */
  register(schema: SchemaDoc | undefined): void {
    if (schema === undefined || !isNamed(schema)) return;
    const known = this.byName.get(schema.name);
    if (known === schema.schema) return;
    if (known !== undefined) throw new Error(`two schemas named ${schema.name}`);
    this.byName.set(schema.name, schema.schema);
    this.registry.add(schema.schema, { id: schema.name });
  }

  convert(schema: SchemaDoc): JsonSchema {
    if (isNamed(schema)) {
      this.component(schema.name, schema.schema);
      return { $ref: `#/components/schemas/${schema.name}` };
    }
    if (!isZod(schema)) return schema;
    return this.toJson(schema);
  }

  private component(name: string, schema: z.ZodType): void {
    if (this.components[name] !== undefined) return;
    // The root of its own conversion: zod would otherwise answer a reference to itself.
    const registry = z.registry<{ id: string }>();
    for (const [other, s] of this.byName) if (other !== name) registry.add(s, { id: other });
    this.components[name] = this.toJson(schema, registry);
  }

  private toJson(schema: z.ZodType, registry = this.registry): JsonSchema {
    const converted = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: 'input',
      metadata: registry,
      // A schema that JSON Schema cannot say (a transform's output, a custom type) fails the
      // document's tests rather than being described as "anything".
      unrepresentable: 'throw',
    }) as Record<string, unknown>;
    const { $schema: _dialect, $defs: defs, ...root } = converted;
    for (const name of Object.keys((defs as Record<string, unknown> | undefined) ?? {})) {
      const nested = this.byName.get(name);
      if (nested === undefined) throw new Error(`schema ${name} is not a named component`);
      this.component(name, nested);
    }
    return relocateRefs(root) as JsonSchema;
  }
}
