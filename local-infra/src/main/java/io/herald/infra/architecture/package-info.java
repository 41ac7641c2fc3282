/**
 * Package rules every service's architecture test checks
 * ({@link io.herald.infra.architecture.ServiceArchitecture}). Needs
 * {@code com.tngtech.archunit:archunit}, an optional dependency of this module: a
 * service's tests declare it.
 */
@NullMarked
package io.herald.infra.architecture;

import org.jspecify.annotations.NullMarked;
