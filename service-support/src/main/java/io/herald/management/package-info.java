/**
 * Access to the management port: the operator token and the internal endpoints. Kept outside
 * {@code io.herald.support}, whose classes are component-scanned, because a management context
 * configuration must be loaded only through its imports file.
 */
@NullMarked
package io.herald.management;

import org.jspecify.annotations.NullMarked;
