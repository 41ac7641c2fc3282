/**
 * Access to the management port: the operator token and the internal endpoints.
 * {@link io.herald.management.ManagementAutoConfiguration} binds the settings in the
 * application context; {@link io.herald.management.ManagementAccessConfiguration}, a
 * management context configuration, is loaded through its own imports file, in the
 * management context when the actuator has a port of its own.
 */
@NullMarked
package io.herald.management;

import org.jspecify.annotations.NullMarked;
