package io.herald.infra.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of every Herald service, which each service's
 * {@code ArchitectureTests} checks against its own production classes:
 * <ul>
 * <li>its feature packages (the packages right below the service's root, such as
 * {@code io.herald.ingestion.ingest}) depend on each other one way: no cycle;</li>
 * <li>{@code system}, the package that wires a service together (configuration, health,
 * shutdown), may use every feature, and no feature uses it;</li>
 * <li>no production class uses the local infrastructure (brokers, Redis and provider
 * sandboxes), which is for tests and the local stack.</li>
 * </ul>
 */
public final class ServiceArchitecture {

	private static final String INFRASTRUCTURE = "io.herald.infra..";

	private ServiceArchitecture() {
	}

	/**
	 * The production classes of a service, without its tests.
	 * @param rootPackage the service's root package, such as {@code io.herald.ingestion}
	 */
	public static JavaClasses classes(String rootPackage) {
		return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
			.importPackages(rootPackage);
	}

	/** No cycle between the feature packages below {@code rootPackage}. */
	public static ArchRule featuresAreFreeOfCycles(String rootPackage) {
		return slices().matching(rootPackage + ".(*)..").namingSlices("$1").should().beFreeOfCycles();
	}

	/** No feature package uses {@code rootPackage.system}, the wiring. */
	public static ArchRule featuresDoNotUseTheWiring(String rootPackage) {
		return noClasses().that()
			.resideOutsideOfPackages(rootPackage + ".system..", rootPackage)
			.should()
			.dependOnClassesThat()
			.resideInAPackage(rootPackage + ".system..")
			.allowEmptyShould(true);
	}

	/** No production class uses the local infrastructure. */
	public static ArchRule noTestInfrastructure() {
		return noClasses().should().dependOnClassesThat().resideInAPackage(INFRASTRUCTURE);
	}

	/**
	 * Checks every rule against the service's production classes.
	 * @param rootPackage the service's root package, such as {@code io.herald.ingestion}
	 * @throws AssertionError naming every violation
	 */
	public static void check(String rootPackage) {
		JavaClasses classes = classes(rootPackage);
		featuresAreFreeOfCycles(rootPackage).check(classes);
		featuresDoNotUseTheWiring(rootPackage).check(classes);
		noTestInfrastructure().check(classes);
	}

}
