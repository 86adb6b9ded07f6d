//! Graded tests for `src/scan.rs`: many probes at once, never more than the bound, results
//! sorted, and a scan that ends within its deadline however many ports are silent.

mod support;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use insta::{assert_snapshot, with_settings};
use lab08_troubleshooting::probe::Probe;
use lab08_troubleshooting::scan::{ScanOptions, scan, scan_with, targets};
use lab08_troubleshooting::verdict::Verdict;
use tokio::sync::Semaphore;
use tokio::time::{sleep, timeout};

use support::WAIT;
use support::silent::{SilentListener, silent_listener, silent_listener_on};

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// A pretend probe that connects nowhere: it counts how many run at once and finishes only
/// when the test lets it.
struct Gate {
    in_flight: AtomicUsize,
    most: AtomicUsize,
    started: AtomicUsize,
    release: Semaphore,
}

impl Gate {
    fn new() -> Gate {
        Gate {
            in_flight: AtomicUsize::new(0),
            most: AtomicUsize::new(0),
            started: AtomicUsize::new(0),
            release: Semaphore::new(0),
        }
    }

    async fn probe(&self, target: SocketAddr) -> Probe {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        self.started.fetch_add(1, Ordering::SeqCst);
        self.release
            .acquire()
            .await
            .expect("the test never closes its semaphore")
            .forget();
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        Probe {
            target,
            verdict: Verdict::Refused,
            elapsed: Duration::ZERO,
        }
    }

    /// Waits until `count` probes have started; false if they do not within WAIT.
    async fn wait_for_started(&self, count: usize) -> bool {
        let deadline = Instant::now() + WAIT;
        while self.started.load(Ordering::SeqCst) < count {
            if Instant::now() >= deadline {
                return false;
            }
            sleep(Duration::from_millis(5)).await;
        }
        true
    }
}

#[tokio::test]
async fn keeps_at_most_max_in_flight_connects() {
    const TOTAL: usize = 10;
    const BOUND: usize = 3;
    let gate = Arc::new(Gate::new());
    // The targets in reverse order: the results must come back sorted anyway.
    let mut ports: Vec<SocketAddr> = targets(LOCALHOST, 9001..=9010);
    ports.reverse();
    let max_in_flight = NonZeroUsize::new(BOUND).expect("3 is not 0");
    let scanning = scan_with(ports, max_in_flight, |target| {
        let gate = Arc::clone(&gate);
        async move { gate.probe(target).await }
    });

    let watching = async {
        let mut log = vec![format!(
            "scan_with({TOTAL} targets, max_in_flight = {BOUND}), each probe held until the test releases it"
        )];
        assert!(
            gate.wait_for_started(BOUND).await,
            "scan_with should start {BOUND} probes at once (max_in_flight = {BOUND}), but only {} \
             started within {} s: the probes ran one after the other. Use \
             stream::iter(targets).map(probe).buffer_unordered(max_in_flight.get())",
            gate.started.load(Ordering::SeqCst),
            WAIT.as_secs()
        );
        sleep(Duration::from_millis(200)).await;
        let started = gate.started.load(Ordering::SeqCst);
        assert!(
            started == BOUND,
            "{started} probes started while the first {BOUND} were still running: with \
             max_in_flight = {BOUND}, at most {BOUND} may be in flight at any moment. Pass \
             max_in_flight.get() to buffer_unordered"
        );
        log.push(format!("{BOUND} probes start at once; the others wait"));
        for finished in 1..=TOTAL {
            gate.release.add_permits(1);
            let expected = (BOUND + finished).min(TOTAL);
            assert!(
                gate.wait_for_started(expected).await,
                "after {finished} probe(s) finished, {expected} should have started, but only {} \
                 did: a finished probe must make room for the next one at once",
                gate.started.load(Ordering::SeqCst)
            );
            if finished <= TOTAL - BOUND {
                log.push(format!(
                    "probe {finished} finishes: probe {expected} starts"
                ));
            } else {
                log.push(format!("probe {finished} finishes: nothing left to start"));
            }
        }
        log.push(format!(
            "at most {} probes were ever in flight",
            gate.most.load(Ordering::SeqCst)
        ));
        log
    };

    let (probes, mut log) =
        match timeout(WAIT * 3, async { tokio::join!(scanning, watching) }).await {
            Ok(done) => done,
            Err(_) => panic!(
                "scan_with did not return after every probe had finished: collect the stream of \
             results (.collect::<Vec<_>>().await) and return them"
            ),
        };
    assert_eq!(
        gate.most.load(Ordering::SeqCst),
        BOUND,
        "at most {BOUND} probes should be in flight at once"
    );
    let found: Vec<u16> = probes.iter().map(|probe| probe.target.port()).collect();
    assert_eq!(
        found,
        (9001..=9010).collect::<Vec<u16>>(),
        "scan_with should return one result per target, sorted by target (address, then port), \
         whatever the order they finished in: sort_by_key(|probe| probe.target)"
    );
    log.push(format!(
        "results: ports {}..={}, sorted",
        found.first().copied().unwrap_or_default(),
        found.last().copied().unwrap_or_default()
    ));
    with_settings!({
        description => "scan_with(10 targets, max_in_flight = 3, a pretend probe the test holds until it lets it finish): exactly 3 in flight at once, a new one as soon as one finishes, results sorted by target.",
    }, {
        assert_snapshot!(log.join("\n"));
    });
}

#[tokio::test]
async fn finishes_within_its_deadline() {
    let silent: Vec<SilentListener> = (0..8).map(|_| silent_listener()).collect();
    let addresses: Vec<SocketAddr> = silent.iter().map(|listener| listener.address).collect();
    let options = ScanOptions {
        max_in_flight: NonZeroUsize::new(4).expect("4 is not 0"),
        timeout: Duration::from_millis(500),
    };
    // 8 ports, 4 at a time, 500 ms each: two rounds, 1 s. One at a time would take 4 s.
    let deadline = Duration::from_secs(1);
    let margin = Duration::from_millis(1500);
    let started = Instant::now();
    let probes = match timeout(WAIT * 2, scan(addresses.clone(), options)).await {
        Ok(probes) => probes,
        Err(_) => panic!(
            "scan of 8 silent ports with a 500 ms time limit was still running after {} s: each \
             probe must give up after options.timeout",
            (WAIT * 2).as_secs()
        ),
    };
    let took = started.elapsed();
    let verdicts: Vec<&Verdict> = probes.iter().map(|probe| &probe.verdict).collect();
    assert!(
        probes.len() == 8
            && verdicts
                .iter()
                .all(|verdict| **verdict == Verdict::Filtered),
        "all 8 ports are silent (full accept queues): every result should be Filtered, got {verdicts:?}"
    );
    assert!(
        took <= deadline + margin,
        "the scan took {} ms: with 8 silent ports, 4 in flight and 500 ms each it should end in \
         about {} ms (two rounds). Run options.max_in_flight probes at the same time \
         (buffer_unordered), each with options.timeout",
        took.as_millis(),
        deadline.as_millis()
    );
    with_settings!({
        description => "scan(8 silent ports, max_in_flight = 4, timeout = 500 ms) ends within its deadline, ceil(8 / 4) x 500 ms, with every port filtered.",
    }, {
        assert_snapshot!(format!(
            "8 silent ports, 4 in flight, 500 ms each: {} filtered, within the deadline of 2 rounds x 500 ms",
            verdicts.len()
        ));
    });
}

/// Ports `base..base + count` of 127.0.0.1, all free, each held by a listener for now.
fn consecutive_free_ports(count: u16) -> Vec<TcpListener> {
    for _ in 0..50 {
        let first = TcpListener::bind((LOCALHOST, 0)).unwrap_or_else(|error| {
            panic!("the test could not listen on 127.0.0.1 ({error}); not your code's fault")
        });
        let base = first
            .local_addr()
            .expect("a bound listener has an address")
            .port();
        if base > u16::MAX - count {
            continue;
        }
        let rest: Result<Vec<TcpListener>, _> = (1..count)
            .map(|offset| TcpListener::bind(SocketAddr::new(LOCALHOST, base + offset)))
            .collect();
        if let Ok(mut rest) = rest {
            rest.insert(0, first);
            return rest;
        }
    }
    panic!("the test found no {count} consecutive free ports on 127.0.0.1; run it again")
}

#[tokio::test]
async fn reports_each_port_sorted() {
    let mut listeners: Vec<Option<TcpListener>> =
        consecutive_free_ports(6).into_iter().map(Some).collect();
    let base = listeners[0]
        .as_ref()
        .and_then(|listener| listener.local_addr().ok())
        .expect("a bound listener has an address")
        .port();
    // base+0 open, base+1 refused, base+2 open, base+3 silent, base+4 refused, base+5 open.
    listeners[1] = None;
    listeners[4] = None;
    listeners[3] = None;
    let silent = silent_listener_on(SocketAddr::new(LOCALHOST, base + 3)).unwrap_or_else(|error| {
        panic!(
            "the test could not listen on port {} again ({error}); run it again",
            base + 3
        )
    });

    let options = ScanOptions {
        max_in_flight: NonZeroUsize::new(2).expect("2 is not 0"),
        timeout: Duration::from_millis(400),
    };
    let range = base..=base + 5;
    let probes = match timeout(WAIT, scan(targets(LOCALHOST, range.clone()), options)).await {
        Ok(probes) => probes,
        Err(_) => panic!(
            "scan of 6 ports with a 400 ms time limit was still running after {} s",
            WAIT.as_secs()
        ),
    };
    let found: Vec<u16> = probes.iter().map(|probe| probe.target.port()).collect();
    assert_eq!(
        found,
        range.clone().collect::<Vec<u16>>(),
        "scan should return one result per port, sorted by port"
    );
    let mut table =
        String::from("scan of 127.0.0.1, ports base..=base+5, 2 in flight, 400 ms each:\n");
    for probe in &probes {
        table += &format!("base+{}  {}\n", probe.target.port() - base, probe.verdict);
    }
    drop((listeners, silent));
    with_settings!({
        description => "scan(127.0.0.1 ports base..=base+5): open where the test listens, refused where it stopped listening, filtered where the listener's accept queue is full; one line per port, sorted.",
    }, {
        assert_snapshot!(table);
    });
}
