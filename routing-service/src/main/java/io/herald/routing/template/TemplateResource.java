package io.herald.routing.template;

/**
 * One locale file of a template, read but not yet parsed.
 *
 * @param locale the normalized locale: {@code default}, or a lower-case tag with
 * {@code -} separators such as {@code de-de}
 * @param location the file, for messages
 * @param content the file's text
 */
record TemplateResource(String locale, String location, String content) {
}
