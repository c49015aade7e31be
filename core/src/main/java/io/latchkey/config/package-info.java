/**
 * Typed start-up configuration: declare every setting once, load them all from a {@link
 * io.latchkey.config.ConfigSource}, and either get a typed {@link io.latchkey.config.Config} or one
 * {@link io.latchkey.ConfigException} that lists every problem.
 *
 * <pre>{@code
 * static final Setting<Integer> PORT =
 *     Setting.port("PORT").defaultValue(8080).group("Server")
 *         .description("Port the HTTP server listens on.").build();
 * static final Setting<Secret> POSTGRES_PASSWORD =
 *     Setting.secret("POSTGRES_PASSWORD").optional().group("Database").build();
 * static final Setting<URI> DATABASE_URL =
 *     Setting.uri("DATABASE_URL", "postgresql").group("Database")
 *         .derive("postgresql://app:${POSTGRES_PASSWORD|url}@db:5432/app").build();
 * static final Setting<Secret> LLM_API_KEY =
 *     Setting.secret("LLM_API_KEY").aliases("OPENAI_API_KEY").group("LLM").build();
 *
 * ConfigSchema schema =
 *     ConfigSchema.builder().add(PORT).add(POSTGRES_PASSWORD).add(DATABASE_URL).add(LLM_API_KEY)
 *         .build();
 * Config config = schema.load(source); // or throws ConfigException listing every problem
 * int port = config.get(PORT);
 * URI database = config.get(DATABASE_URL); // derived unless DATABASE_URL is set
 * log.info("configuration:\n{}", config.report().toTable());
 * }</pre>
 *
 * <p>The pieces:
 *
 * <ul>
 *   <li>{@link io.latchkey.config.Setting}: a typed key with its name, type, default, group,
 *       description, examples, deprecated aliases, and an optional derivation;
 *   <li>{@link io.latchkey.config.ConfigSchema}: the declared settings, built in Java, from a
 *       record with {@link io.latchkey.config.Env} annotations, or from a JSON file shared with
 *       other tools;
 *   <li>{@link io.latchkey.config.Config}: the loaded values, and {@link
 *       io.latchkey.config.ConfigReport}, the masked table an operator reads;
 *   <li>{@link io.latchkey.config.ConfigDocs}: a Markdown reference and a {@code .env.example},
 *       generated from the schema;
 *   <li>{@link io.latchkey.config.ConfigSource}, {@link io.latchkey.config.ConfigValue} and {@link
 *       io.latchkey.config.Origin}: where raw values come from.
 * </ul>
 *
 * <p>A failed load says, for every bad setting, what is wrong, what was expected and where the
 * value came from ({@code PORT: 'eighty' is not an integer; expected a port number from 1 to 65535
 * (from .env (.env line 4))}). It quotes values of non-secret settings only, with passwords in URLs
 * masked. Deprecated names still work, with one SLF4J warning each per load naming the old and the
 * new name.
 *
 * <p>Nothing in this package accepts or returns {@code null}, and no type here reveals a value that
 * may be secret through {@code toString()}, an exception message or a log line.
 */
package io.latchkey.config;
