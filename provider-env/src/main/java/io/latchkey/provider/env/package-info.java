/**
 * The {@code env} secret provider: {@link io.latchkey.provider.env.EnvSecretProvider} reads runtime
 * overrides, the process environment, a {@code .env} file and a secrets directory, and {@link
 * io.latchkey.provider.env.EnvSecretProviderFactory} registers it as {@code SECRET_PROVIDER=env},
 * the default.
 *
 * <h2>Precedence</h2>
 *
 * <p>Highest first; the first layer that has a name wins:
 *
 * <ol>
 *   <li>overrides ({@link io.latchkey.provider.env.EnvSecretProvider.Builder#override(String,
 *       String)}, for tests);
 *   <li>the process environment;
 *   <li>the {@code .env} file ({@code LATCHKEY_ENV_FILE}, by default {@code .env} in the working
 *       directory if it is a file);
 *   <li>the secrets directory ({@code LATCHKEY_SECRETS_DIR}, by default none): a file named {@code
 *       NAME} or {@code name}.
 * </ol>
 *
 * <p>In the first three layers {@code NAME_FILE} stands for {@code NAME} at the same level: the
 * value is the named file's content without its trailing line break, and a layer that sets both is
 * an error. Slash references ({@code llm_api_key/control_plane}) resolve to environment names
 * ({@code LLM_API_KEY_CONTROL_PLANE}). {@link io.latchkey.provider.env.EnvSecretProvider} gives the
 * details and the {@code .env} grammar.
 *
 * <p>Nothing in this package accepts or returns {@code null}, and no type here reveals a value
 * through {@code toString()}, an exception message or a log line.
 */
package io.latchkey.provider.env;
