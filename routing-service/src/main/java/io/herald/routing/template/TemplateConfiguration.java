package io.herald.routing.template;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

import java.nio.file.Path;

/**
 * The {@link TemplateRenderer}: the templates of {@code herald.routing.templates.directory}, or
 * the packaged ones, loaded and checked as the application starts, so a broken template stops
 * the start with an {@link InvalidTemplateException} naming its file and line.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TemplateProperties.class)
class TemplateConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(TemplateConfiguration.class);

	@Bean
	MustacheTemplateCatalog templateRenderer(TemplateProperties properties, ResourceLoader resourceLoader) {
		Path directory = properties.directory();
		MustacheTemplateCatalog catalog = (directory != null) ? MustacheTemplateCatalog.fromDirectory(directory)
				: MustacheTemplateCatalog
					.fromClasspath(ResourcePatternUtils.getResourcePatternResolver(resourceLoader));
		logger.info("Loaded templates {} from {}", catalog.templateIds(),
				(directory != null) ? directory.toAbsolutePath() : "classpath:" + TemplateSources.CLASSPATH_ROOT + "/");
		return catalog;
	}

}
