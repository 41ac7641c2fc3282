package io.herald.routing.template;

import java.util.List;

/**
 * A template as found in a source: its id (the directory's name) and its locale files.
 *
 * @param id the template id
 * @param location the directory, for messages
 * @param files the locale files, possibly none (a broken template)
 */
record TemplateDirectory(String id, String location, List<TemplateResource> files) {

	TemplateDirectory {
		files = List.copyOf(files);
	}

}
