/**
 * What Latchkey's own packages share and the API does not show: the lexical rule that finds the
 * credentials in URLs and connection strings, which the configuration's report masks and the
 * redactor redacts. The module does not export this package.
 */
package io.latchkey.internal;
