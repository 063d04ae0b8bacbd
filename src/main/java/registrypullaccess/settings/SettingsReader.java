package registrypullaccess.settings;

import registrypullaccess.registry.GoogleHosts;

import java.util.TreeSet;

/**
 * Reads one stack's configuration into {@link Settings}: each area's reader turns strings into types and applies
 * its record's rules, {@link SettingsRules} the rules between records, and every problem is collected before
 * giving up, so one run names them all: a reader records a wrong value's problems and reads on with a stand-in, so
 * that neither its other keys nor the rules between records that do not read that value go unjudged.
 */
final class SettingsReader {

    private final ConfigSource config;
    private final Problems problems = new Problems();
    private final ConfigValues values;

    SettingsReader(ConfigSource config) {
        this.config = config;
        this.values = new ConfigValues(config, problems);
    }

    Settings read() {
        var project = config.get("gcp", "project").orElse("");
        var sourcesReader = new SourcesReader(values);
        problems.addAll(GoogleHosts.projectProblems(project, sourcesReader.googleRegistriesConfigured()));
        problems.addAll(ConfigKeys.unknownKeyProblems(new TreeSet<>(config.keys())));

        var email = values.nonEmpty("email");
        var before = problems.list().size();
        var sources = sourcesReader.read(project, email);
        var sourcesComplete = problems.list().size() == before;
        var coverage = new CoverageReader(values).read();
        var pullSecretUse = new PullSecretUseReader(values).read();
        var credentials = new CredentialsReader(values);
        var puller = credentials.read(email);
        var protect = values.bool("protect");
        var pullCheck = new PullCheckReader(values).read(puller.map(Puller.Token.class::isInstance));
        problems.addAll(SettingsRules.problems(
                sources, sourcesComplete, coverage, pullSecretUse, puller, pullCheck, values.standIns()));

        Problems.require(problems.list());
        return new Settings(
                project,
                sources,
                coverage.orElseThrow(),
                pullSecretUse.orElseThrow(),
                puller.orElseThrow(),
                protect,
                pullCheck,
                credentials.deprecations(),
                values.string("verifyHelperImage", PullCheck.DEFAULT_HELPER_IMAGE));
    }
}
