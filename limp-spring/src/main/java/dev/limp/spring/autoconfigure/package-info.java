/**
 * The auto-configuration of limp ({@link dev.limp.spring.autoconfigure.LimpAutoConfiguration}) and the
 * {@code limp.*} properties it binds ({@link dev.limp.spring.autoconfigure.LimpProperties} and its groups).
 * The translation of properties into limp-core's builders, and the failure analyzer that reports a wrong
 * setting, are package-private: not API.
 */
package dev.limp.spring.autoconfigure;
