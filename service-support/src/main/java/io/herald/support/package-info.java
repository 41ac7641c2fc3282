/**
 * What every Herald service shares, as one Spring Boot auto-configuration per concern in
 * this package and the ones below it; the service's clock here.
 */
@NullMarked
package io.herald.support;

import org.jspecify.annotations.NullMarked;
