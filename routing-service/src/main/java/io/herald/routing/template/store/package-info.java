/**
 * Where the tenants' own templates are decided: the fold of
 * {@code herald.template-commands} into the main routing application's template stores
 * (versions, history, verdicts), which publishes every version in force to
 * {@code herald.templates}, and the reads of those stores, wherever they live.
 */
@NullMarked
package io.herald.routing.template.store;

import org.jspecify.annotations.NullMarked;
