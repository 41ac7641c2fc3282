/**
 * Checks of a service's real answers against its API documents: an OpenAPI 3.1 document
 * ({@link io.herald.infra.contract.OpenApiDocument}) and the JSON schemas of any API document
 * ({@link io.herald.infra.contract.DocumentSchema}), so that a test fails when the code and the
 * document drift apart. Needs {@code com.networknt:json-schema-validator}, an optional dependency
 * of this module: a test module that uses this package declares it with {@code test} scope.
 */
@NullMarked
package io.herald.infra.contract;

import org.jspecify.annotations.NullMarked;
