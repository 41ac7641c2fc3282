/** Email over SMTP through jakarta-mail. */
@NullMarked
package io.herald.delivery.email;

import org.jspecify.annotations.NullMarked;
