//! The deploy examples in docs/examples/ are what their hosts read: the
//! GitLab CI file is YAML with a `pages` job publishing `public`, the
//! Netlify file is TOML publishing `public` with a command per context,
//! and each downloads a release through install-attache.sh or its own
//! steps instead of compiling attache. (The GitHub workflows are checked
//! against GitHub's schema by .ci/run, and install-attache.sh is run
//! against a served release by .ci/release-check.)

use std::path::Path;

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/examples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn gitlab_pages_example_is_a_pages_job_that_downloads_a_release() {
    let docs = yaml_rust2::YamlLoader::load_from_str(&example("gitlab-pages.yml")).expect("YAML");
    let job = &docs[0]["pages"];
    assert_eq!(job["artifacts"]["paths"][0].as_str(), Some("public"));
    let script: Vec<&str> = job["script"]
        .as_vec()
        .expect("a script")
        .iter()
        .filter_map(|l| l.as_str())
        .collect();
    assert!(script.contains(&"sh install-attache.sh"), "{script:?}");
    assert!(
        script.contains(&"./attache-bin/attache build --base-url \"$CI_PAGES_URL/\""),
        "{script:?}"
    );
    assert!(
        !script.iter().any(|l| l.contains("cargo")),
        "compiles attache: {script:?}"
    );
    assert!(docs[0]["variables"]["ATTACHE_VERSION"].as_str().is_some());
}

#[test]
fn netlify_example_publishes_public_with_a_command_per_context() {
    let config: toml::Table = example("netlify.toml").parse().expect("TOML");
    assert_eq!(config["build"]["publish"].as_str(), Some("public"));
    for command in [
        &config["build"]["command"],
        &config["context"]["deploy-preview"]["command"],
        &config["context"]["branch-deploy"]["command"],
    ] {
        let command = command.as_str().expect("a command");
        assert!(
            command.starts_with("sh install-attache.sh && ./attache-bin/attache build"),
            "{command}"
        );
    }
    assert!(
        config["build"]["environment"]["ATTACHE_RELEASES"]
            .as_str()
            .is_some()
    );
}

#[test]
fn github_pages_example_downloads_and_checks_a_release() {
    let workflow = example("github-pages.yml");
    assert!(workflow.contains("sha256sum --check --ignore-missing SHA256SUMS"));
    assert!(!workflow.contains("cargo install"), "compiles attache");
    assert!(workflow.contains("path: public"));
}
