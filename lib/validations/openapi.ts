import { OpenAPIRegistry, OpenApiGeneratorV3, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { ROUTES, routeResponses, type RouteSpec } from "./routes";
import type { z } from "./zod";
import { MAX_ID_LENGTH } from "../domain";
import type { DataSchema } from "../schema/types";

/*
 * The OpenAPI 3 document of the whole HTTP API, generated from the route table
 * (lib/validations/routes.ts): the schemas the handlers validate their requests with and type
 * their answers by, which the route tests also check every answer against. Every route file
 * under app/api must appear there (app/api/openapi.json/route.test.ts checks it).
 */

const SECURITY: RouteConfig["security"] = [{ bearerAuth: [] }, { sessionCookie: [] }];

const ROLE_TEXT = {
  public: "Public: anyone may call it.",
  viewer: "Role: viewer or above (open to anyone while no user exists, or with PUBLIC_READ=1, for GET).",
  operator: "Role: operator or above.",
  admin: "Role: admin.",
} as const;

function requestOf(route: RouteSpec): RouteConfig["request"] {
  const { params, query, body } = route;
  const content: Record<string, { schema: z.ZodType }> = {};
  if (body?.json) content["application/json"] = { schema: body.json };
  if (body?.multipart) content["multipart/form-data"] = { schema: body.multipart };
  return {
    ...(params ? { params } : {}),
    ...(query ? { query } : {}),
    ...(body ? { body: { required: body.required, ...(body.description ? { description: body.description } : {}), content } } : {}),
  };
}

function responsesOf(route: RouteSpec): RouteConfig["responses"] {
  return Object.fromEntries(
    Object.entries(routeResponses(route)).map(([status, r]) => [
      status,
      { description: r!.description, content: { [r!.contentType ?? "application/json"]: { schema: r!.schema } } },
    ]),
  );
}

function pathConfig(route: RouteSpec): RouteConfig {
  return {
    method: route.method,
    path: route.path,
    summary: route.summary,
    description: ROLE_TEXT[route.role],
    tags: [route.tag],
    "x-required-role": route.role,
    ...(route.role !== "public" ? { security: SECURITY } : {}),
    request: requestOf(route),
    responses: responsesOf(route),
  };
}

function buildRegistry(): OpenAPIRegistry {
  const r = new OpenAPIRegistry();
  r.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "Authorization: Bearer <API key> (a user's key, POST /api/users/{id}/keys) or <ADMIN_TOKEN> (an admin)",
  });
  r.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "dra_session",
    description: "the dashboard's session cookie, set by POST /api/session (sign-in)",
  });
  for (const route of ROUTES) r.registerPath(pathConfig(route));
  return r;
}

let cached: ReturnType<OpenApiGeneratorV3["generateDocument"]> | undefined;

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of a request row for `schema` (what predictionRowSchema validates): the id
 * column, every feature (numbers with their bounds, categories as strings — numbers accepted),
 * the label optional.
 */
function rowJsonSchema(schema: DataSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  if (schema.id) properties[schema.id] = { type: "string", minLength: 1, maxLength: MAX_ID_LENGTH, description: "the row's id" };
  for (const f of schema.features) {
    properties[f.name] =
      f.type === "numeric"
        ? { type: "number", ...(f.min !== null ? { minimum: f.min } : {}), ...(f.max !== null ? { maximum: f.max } : {}), description: "numeric feature" }
        : { type: "string", nullable: true, description: "categorical feature: a level as text (numbers are accepted and read as their text); null or \"\" is the level (missing)" };
  }
  properties[schema.label] = { type: "string", enum: [schema.negative, schema.positive], description: `optional true label (${schema.positive} = positive); when every row has one, the response carries a score` };
  return { type: "object", properties, required: [...(schema.id ? [schema.id] : []), ...schema.features.map((f) => f.name)], additionalProperties: false };
}

/**
 * The OpenAPI 3.0 document; `serverUrl` (the request's origin) goes in `servers`. With `schema`
 * (the stored data schema), the request rows of POST /api/prediction and /api/batches show its real fields.
 */
export function openApiDocument({ serverUrl, schema }: { serverUrl?: string; schema?: DataSchema } = {}) {
  cached ??= new OpenApiGeneratorV3(buildRegistry().definitions).generateDocument({
    openapi: "3.0.3",
    info: {
      title: "Dynamic Risk Assessment API",
      version: "1.0.0",
      description:
        "Ingest client CSVs, train, deploy and monitor the attrition model. Errors are JSON { error: { code, message, details? } }; " +
        "each route needs a role (x-required-role: public, viewer, operator, admin): send Authorization: Bearer <API key or ADMIN_TOKEN>, or the dashboard's session cookie. " +
        "With no user and no ADMIN_TOKEN the server is open; with ADMIN_TOKEN only, reads are open and changes need the token; once a user exists, reads need a viewer too.",
    },
  });
  const doc = schema ? { ...cached, components: { ...cached.components, schemas: { ...cached.components?.schemas, PredictionRow: rowJsonSchema(schema) } } } : cached;
  return serverUrl ? { ...doc, servers: [{ url: serverUrl }] } : doc;
}
