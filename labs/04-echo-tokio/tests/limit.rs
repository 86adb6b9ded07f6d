//! Graded tests for `src/limit.rs`: a connection limit built on a semaphore. No network here.

mod support;

use std::num::NonZeroUsize;

use insta::{assert_snapshot, with_settings};
use lab04_echo_tokio::limit::{ConnectionLimit, Slot};
use tokio::task::JoinHandle;
use tokio::time::timeout;

use support::{QUIET, WAIT};

/// Takes a slot that should be free, or fails the test saying so.
async fn take_free_slot(limit: &ConnectionLimit, what: &str) -> Slot {
    match timeout(WAIT, limit.wait_for_slot()).await {
        Ok(slot) => slot,
        Err(_) => panic!(
            "wait_for_slot() kept waiting for {} s when {what}: it should have returned a slot at \
             once. With at_most(max), the semaphore starts with max permits (Semaphore::new(max)).",
            WAIT.as_secs_f64()
        ),
    }
}

/// Starts waiting for a slot in a task of its own.
fn wait_in_background(limit: &ConnectionLimit) -> JoinHandle<Slot> {
    let limit = limit.clone();
    tokio::spawn(async move { limit.wait_for_slot().await })
}

/// Checks that a waiter is still waiting after a while.
async fn expect_waiting(waiter: &mut JoinHandle<Slot>, name: &str, why: &str) -> String {
    match timeout(QUIET, &mut *waiter).await {
        Err(_) => format!("{name} is still waiting after {} s", QUIET.as_secs_f64()),
        Ok(_) => panic!(
            "{name} got a slot, but it should have kept waiting: {why}. A slot must hold its \
             permit (an OwnedSemaphorePermit from acquire_owned) until the slot is dropped."
        ),
    }
}

/// Waits for a waiter to get its slot, which should come soon.
async fn expect_granted(waiter: &mut JoinHandle<Slot>, name: &str, why: &str) -> (Slot, String) {
    match timeout(WAIT, &mut *waiter).await {
        Ok(Ok(slot)) => (slot, format!("{name} gets its slot")),
        Ok(Err(error)) => panic!("{name}'s wait_for_slot() failed: {error}"),
        Err(_) => panic!(
            "{name} did not get a slot within {} s, although {why}. Dropping a Slot must give \
             its permit back to the semaphore, for the next waiter.",
            WAIT.as_secs_f64()
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlimited_never_makes_anyone_wait() {
    let limit = ConnectionLimit::unlimited();
    let mut slots = Vec::new();
    for held in 0..1000 {
        slots.push(take_free_slot(&limit, &format!("{held} slots were held with no limit")).await);
    }
    let free_slots = limit.free_slots();
    assert_eq!(
        free_slots, None,
        "an unlimited ConnectionLimit has no semaphore, so free_slots() is None"
    );
    let cloned = limit.clone();
    let extra = take_free_slot(
        &cloned,
        "a clone of an unlimited limit was asked for a slot",
    )
    .await;
    slots.push(extra);

    let log = [
        "limit = ConnectionLimit::unlimited()".to_string(),
        format!("{} slots are granted at once", slots.len() - 1),
        format!("free_slots() = {free_slots:?}"),
        "a clone of the limit is asked for one more slot".to_string(),
        format!(
            "it is granted at once, with {} slots held; free_slots() = {:?}",
            slots.len(),
            cloned.free_slots()
        ),
    ];
    let mut text = log.join("\n");
    text.push('\n');
    with_settings!({
        description => "ConnectionLimit::unlimited(): no semaphore, so wait_for_slot() never waits, however many slots are held, and free_slots() is None.",
    }, {
        assert_snapshot!(text);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grants_at_most_max_slots_until_one_is_dropped() {
    let limit = ConnectionLimit::at_most(NonZeroUsize::new(3).expect("3 is not 0"));
    let free = |limit: &ConnectionLimit| format!("free_slots() = {:?}", limit.free_slots());
    let mut log = vec![
        "limit = ConnectionLimit::at_most(3)".to_string(),
        free(&limit),
    ];

    let first = take_free_slot(&limit, "no slot was held yet").await;
    log.push(format!("slot 1 is granted at once; {}", free(&limit)));
    let second = take_free_slot(&limit, "1 of 3 slots was held").await;
    log.push(format!("slot 2 is granted at once; {}", free(&limit)));
    let third = take_free_slot(&limit, "2 of 3 slots were held").await;
    log.push(format!("slot 3 is granted at once; {}", free(&limit)));

    let mut fourth = wait_in_background(&limit);
    log.push("slot 4 is asked for".to_string());
    log.push(expect_waiting(&mut fourth, "slot 4", "3 slots of 3 are held").await);
    let mut fifth = wait_in_background(&limit.clone());
    log.push("slot 5 is asked for, through a clone of the limit".to_string());
    log.push(expect_waiting(&mut fifth, "slot 5", "the clone shares the same 3 slots").await);

    drop(second);
    log.push("slot 2 is dropped".to_string());
    let (fourth, granted) = expect_granted(&mut fourth, "slot 4", "slot 2 was dropped").await;
    log.push(granted);
    log.push(
        expect_waiting(
            &mut fifth,
            "slot 5",
            "slot 4 asked first and took the slot that slot 2 freed",
        )
        .await,
    );
    log.push(free(&limit));

    drop(first);
    log.push("slot 1 is dropped".to_string());
    let (fifth, granted) = expect_granted(&mut fifth, "slot 5", "slot 1 was dropped").await;
    log.push(granted);

    drop((third, fourth, fifth));
    log.push(format!("slots 3, 4 and 5 are dropped; {}", free(&limit)));

    let mut text = log.join("\n");
    text.push('\n');
    with_settings!({
        description => "ConnectionLimit::at_most(3): three slots at once, the fourth waits until a slot is dropped, and waiters are served in the order they asked. free_slots() is the semaphore's available_permits().",
    }, {
        assert_snapshot!(text);
    });
}
