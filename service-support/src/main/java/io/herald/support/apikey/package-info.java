/** API keys: who is calling, for which tenant, with which scopes. */
@NullMarked
package io.herald.support.apikey;

import org.jspecify.annotations.NullMarked;
