/** Checks of the secrets a service is configured with. */
@NullMarked
package io.herald.support.secrets;

import org.jspecify.annotations.NullMarked;
