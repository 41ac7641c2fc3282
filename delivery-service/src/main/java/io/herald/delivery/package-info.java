/** The delivery service: push, SMS and email through the providers' own SDKs. */
@NullMarked
package io.herald.delivery;

import org.jspecify.annotations.NullMarked;
