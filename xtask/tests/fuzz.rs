//! `cargo xtask fuzz` end to end: a short pass over the corpus finds
//! nothing and makes the same mutants again with the same seed; any folder
//! of documents can be fuzzed; the guard catches panics and time-outs; the
//! supervisor reports, minimizes and goes on after a child that dies.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use xtask::fuzz::guard::{self, Finished};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The report without its first line (which has the time).
fn table(stdout: &str) -> String {
    stdout.lines().skip(1).collect::<Vec<_>>().join("\n")
}

/// The `total` row's numbers: mutants, accepted, refused, failed, compiled.
fn totals(stdout: &str) -> Vec<u64> {
    let row = stdout
        .lines()
        .find(|l| l.starts_with("total"))
        .unwrap_or_else(|| panic!("no total row in:\n{stdout}"));
    row.split_whitespace()
        .skip(1)
        .take(5)
        .map(|n| n.parse().unwrap())
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("xtask-fuzz-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_tiny_pass_over_the_corpus_finds_nothing_and_repeats_itself() {
    let Some(_corpus) = common::corpus_dir() else {
        return;
    };
    let root = common::repository_root();
    let root = root.to_str().unwrap();
    let args = [
        "--root",
        root,
        "fuzz",
        "--count",
        "20",
        "--seed",
        "3",
        "--compile-every",
        "0",
    ];
    let first = xtask(&args);
    let report = text(&first.stdout);
    assert!(first.status.success(), "{report}{}", text(&first.stderr));
    let [mutants, accepted, refused, failed, compiled] = totals(&report)[..] else {
        panic!("{report}")
    };
    assert_eq!((mutants, failed, compiled), (20, 0, 0), "{report}");
    assert_eq!(accepted + refused, 20, "{report}");
    assert!(accepted > 0 && refused > 0, "{report}");
    assert!(report.contains("fuzz: seed 3, 20 mutants of"), "{report}");
    // The same seed makes the same mutants, with the same outcomes.
    let second = xtask(&args);
    assert_eq!(table(&report), table(&text(&second.stdout)));
}

const DISCOVERY: &str = r#"{
  "kind": "discovery#restDescription", "discoveryVersion": "v1",
  "name": "tiny", "version": "v1", "rootUrl": "https://tiny.example.com/", "servicePath": "",
  "schemas": {"Thing": {"id": "Thing", "type": "object", "properties": {
    "name": {"type": "string"},
    "state": {"type": "string", "enum": ["ON", "OFF"], "enumDescriptions": ["on", "off"]}}}},
  "resources": {"things": {"methods": {"get": {
    "id": "tiny.things.get", "httpMethod": "GET", "path": "v1/{+name}",
    "parameterOrder": ["name"],
    "parameters": {"name": {"type": "string", "location": "path", "required": true,
                            "pattern": "^things/[^/]+$"}},
    "response": {"$ref": "Thing"}
  }}}}
}"#;

const OPENAPI: &str = "openapi: 3.0.0
info: {title: Tiny, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
";

#[test]
fn any_folder_of_documents_can_be_fuzzed() {
    let root = scratch("folder");
    let corpus = root.join("corpus");
    fs::create_dir_all(corpus.join("discovery")).unwrap();
    fs::create_dir_all(corpus.join("openapi/nested")).unwrap();
    fs::write(corpus.join("discovery/tiny.json"), DISCOVERY).unwrap();
    fs::write(corpus.join("openapi/nested/tiny.yaml"), OPENAPI).unwrap();
    fs::write(corpus.join("openapi/README.md"), "not a spec").unwrap();
    let output = xtask(&[
        "--root",
        root.to_str().unwrap(),
        "fuzz",
        "--corpus",
        corpus.to_str().unwrap(),
        "--count",
        "60",
        "--seed",
        "5",
        "--compile-every",
        "0",
    ]);
    let report = text(&output.stdout);
    assert!(output.status.success(), "{report}{}", text(&output.stderr));
    assert!(report.contains("60 mutants of 2 documents"), "{report}");
    assert_eq!(totals(&report)[0], 60, "{report}");
    // Every class had its turn.
    for class in xtask::fuzz::mutate::Class::ALL {
        assert!(
            report
                .lines()
                .any(|l| l.starts_with(&format!("{} ", class.name()))),
            "{}: {report}",
            class.name()
        );
    }

    // `--replay N` runs mutant N alone.
    let output = xtask(&[
        "--root",
        root.to_str().unwrap(),
        "fuzz",
        "--corpus",
        corpus.to_str().unwrap(),
        "--class",
        "pattern",
        "--replay",
        "7",
        "--compile-every",
        "0",
    ]);
    let report = text(&output.stdout);
    assert!(output.status.success(), "{report}{}", text(&output.stderr));
    assert_eq!(totals(&report)[0], 1, "{report}");
    assert!(
        report.lines().any(|l| l.starts_with("pattern ")),
        "{report}"
    );
}

#[test]
fn a_missing_corpus_is_a_clear_error() {
    let root = scratch("missing");
    let output = xtask(&[
        "--root",
        root.to_str().unwrap(),
        "fuzz",
        "--corpus",
        root.join("nowhere").to_str().unwrap(),
        "--count",
        "1",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let message = text(&output.stderr);
    assert!(
        message.contains("nowhere: no corpus to fuzz") && message.contains("--corpus"),
        "{message}"
    );
}

#[test]
fn the_guard_catches_panics_on_any_thread_and_time_outs() {
    let _quiet = guard::Quiet::new();
    match guard::run("ok", Duration::from_secs(5), || 7) {
        Finished::Done(7) => {}
        other => panic!("{other:?}"),
    }
    match guard::run("panics", Duration::from_secs(5), || -> u8 {
        panic!("boom {}", 1)
    }) {
        Finished::Panicked(p) => {
            assert_eq!(p.message, "boom 1");
            assert!(p.location.contains("tests/fuzz.rs:"), "{}", p.location);
        }
        other => panic!("{other:?}"),
    }
    // A panic on a thread the job spawns (as the emitters do) is the one
    // reported, not the scope's "a scoped thread panicked".
    match guard::run("scoped", Duration::from_secs(5), || {
        std::thread::scope(|s| {
            s.spawn(|| panic!("deep inside"));
        })
    }) {
        Finished::Panicked(p) => assert_eq!(p.message, "deep inside"),
        other => panic!("{other:?}"),
    }
    match guard::run("sleeps", Duration::from_millis(50), || {
        std::thread::sleep(Duration::from_millis(500))
    }) {
        Finished::TimedOut => {}
        other => panic!("{other:?}"),
    }
}

/// A stand-in for `xtask`: as a supervised child (`--start 0`) it leaves a
/// mutant and its note behind and dies of SIGABRT; resumed (`--start 4`)
/// it finishes the pass; as a judge (`--judge FILE`) it dies on any text
/// with `boom`. The supervisor must report the crash, minimize it with
/// judges, and go on.
#[cfg(unix)]
const FAKE_XTASK: &str = r#"#!/bin/sh
root="$2"
last=""; start=""; progress=""; prev=""
for a in "$@"; do
  case "$prev" in
    --start) start="$a" ;;
    --progress) progress="$a" ;;
  esac
  prev="$a"; last="$a"
done
case " $* " in
  *" --judge "*) grep -q boom "$last" && kill -ABRT $$; exit 0 ;;
esac
fuzz=$(dirname "$progress")
if [ "$start" = "0" ]; then
  printf '{"a": "boom", "b": [1, 2, 3], "c": {"d": "e"}}\n' > "$fuzz/in-flight.json"
  printf '3\tdelete-key\tseed.json\t%s\n' "$fuzz/in-flight.json" > "$fuzz/in-flight.txt"
  printf '{"seed":1,"documents":1,"classes":{"delete-key":{"mutants":3,"skipped":0,"accepted":2,"refused":1,"compiled":0,"failures":{}}},"failures":[],"stopped":null,"hung_at":null,"next":3,"elapsed":{"secs":0,"nanos":0},"command":"cargo xtask fuzz"}' > "$progress"
  kill -ABRT $$
fi
sed 's/"next":[0-9]*/"next":5/' "$progress" > "$progress.new" && mv "$progress.new" "$progress"
exit 0
"#;

#[cfg(unix)]
#[test]
fn a_child_that_dies_is_reported_minimized_and_the_pass_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let root = scratch("supervise");
    let fake = root.join("fake-xtask");
    fs::write(&fake, FAKE_XTASK).unwrap();
    fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    let options = xtask::fuzz::Options {
        count: 5,
        minimize: Duration::from_secs(60),
        ..Default::default()
    };
    let args: Vec<std::ffi::OsString> = vec!["--root".into(), root.clone().into(), "fuzz".into()];
    let mut log = Vec::new();
    let report = xtask::fuzz::supervise(&root, &options, &fake, &args, &mut log)
        .unwrap()
        .expect("a report");
    assert_eq!(report.next, 5, "{report:?}");
    assert_eq!(report.stopped, None);
    let [crash] = &report.failures[..] else {
        panic!("{report:?}")
    };
    assert_eq!(crash.kind, xtask::fuzz::Kind::Crash);
    assert_eq!((crash.index, crash.seed_file.as_str()), (3, "seed.json"));
    assert_eq!(
        crash.saved,
        root.join("target/fuzz/failures/crash-1-3.json")
    );
    let minimized: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&crash.saved).unwrap()).unwrap();
    assert_eq!(minimized, serde_json::json!({"a": "boom"}));
    let counts = &report.classes[&xtask::fuzz::mutate::Class::DeleteKey];
    assert_eq!(counts.mutants, 4);
    assert_eq!(counts.failures[&xtask::fuzz::Kind::Crash], 1);
    assert!(report.failed());
    assert!(
        report
            .render()
            .contains("crash in mutant 3 (delete-key of seed.json)")
    );
    assert!(text(&log).contains("the process died on mutant 3"));
}

/// A stand-in child that reports a hang at mutant 1 (as a child whose
/// thread is stuck does: failure recorded, `hung_at` set, exit 1), then,
/// resumed at 2, finishes.
#[cfg(unix)]
const FAKE_HANGING_XTASK: &str = r#"#!/bin/sh
start=""; progress=""; prev=""
for a in "$@"; do
  case "$prev" in
    --start) start="$a" ;;
    --progress) progress="$a" ;;
  esac
  prev="$a"
done
if [ "$start" = "0" ]; then
  printf '{"seed":1,"documents":1,"classes":{"pattern":{"mutants":2,"skipped":0,"accepted":1,"refused":0,"compiled":0,"failures":{"hang":1}}},"failures":[{"kind":"hang","signature":"","index":1,"class":"pattern","seed_file":"seed.json","message":"still generating after 10 s","saved":"hang-1-1.json","bytes":[10,10],"repeat":false}],"stopped":"mutant 1 ran past its time limit","hung_at":1,"next":2,"elapsed":{"secs":0,"nanos":0},"command":"cargo xtask fuzz"}' > "$progress"
  exit 1
fi
[ "$start" = "2" ] || exit 3
sed 's/"next":[0-9]*/"next":4/' "$progress" > "$progress.new" && mv "$progress.new" "$progress"
exit 0
"#;

#[cfg(unix)]
#[test]
fn a_pass_goes_on_after_a_hang() {
    use std::os::unix::fs::PermissionsExt;
    let root = scratch("hang");
    let fake = root.join("fake-xtask");
    fs::write(&fake, FAKE_HANGING_XTASK).unwrap();
    fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    let options = xtask::fuzz::Options {
        count: 4,
        ..Default::default()
    };
    let args: Vec<std::ffi::OsString> = vec!["--root".into(), root.clone().into(), "fuzz".into()];
    let report = xtask::fuzz::supervise(&root, &options, &fake, &args, &mut Vec::new())
        .unwrap()
        .expect("a report");
    assert_eq!(
        (report.next, report.hung_at, &report.stopped),
        (4, None, &None)
    );
    let [hang] = &report.failures[..] else {
        panic!("{report:?}")
    };
    assert_eq!((hang.kind, hang.index), (xtask::fuzz::Kind::Hang, 1));
    assert!(report.failed());
    // The pass's own folder is gone.
    let left: Vec<_> = fs::read_dir(root.join("target/fuzz")).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}
