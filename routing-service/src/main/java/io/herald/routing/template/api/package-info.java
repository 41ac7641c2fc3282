/**
 * The template API: a tenant's own templates, their versions and previews, under
 * {@code /v1/templates} (docs/api.md, "Templates"; docs/adr/025).
 *
 * <h2>How it works</h2> A write is checked here (its JSON, every text's Mustache) and
 * becomes one {@code TemplateCommand} on {@code herald.template-commands}, keyed by the
 * tenant ({@code acks=all}). The main routing application folds a tenant's commands in
 * order ({@code TemplateFolder}): it numbers versions, checks {@code If-Match} and the
 * tenant's limit, keeps the history, and publishes each version in force to
 * {@code herald.templates}, which every routing and ingestion instance follows. The write
 * answers once the fold's verdict is known and this instance's catalog holds the version,
 * which means the catalog record is acknowledged by every in-sync replica: an event
 * accepted after the answer is checked and rendered with it.
 *
 * <p>
 * Reads of the version in force come from this instance's catalog, brought up to date
 * with every change acknowledged before the read; reads of the history from the template
 * stores, wherever the tenant's partition lives. The tenant always comes from the API
 * key, so another tenant's templates are simply not found.
 */
@NullMarked
package io.herald.routing.template.api;

import org.jspecify.annotations.NullMarked;
