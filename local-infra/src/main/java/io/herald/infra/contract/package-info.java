/**
 * Checks of a service's real answers against its API documents: an OpenAPI 3.1 document
 * ({@link io.herald.infra.contract.OpenApiDocument}) and the JSON schemas of any API
 * document ({@link io.herald.infra.contract.DocumentSchema}), so that a test fails when
 * the code and the document drift apart, and the operations a Spring MVC service serves
 * ({@link io.herald.infra.contract.ServedOperations}). Needs
 * {@code com.networknt:json-schema-validator} and Spring MVC, optional dependencies of
 * this module: a service's tests have them.
 */
@NullMarked
package io.herald.infra.contract;

import org.jspecify.annotations.NullMarked;
