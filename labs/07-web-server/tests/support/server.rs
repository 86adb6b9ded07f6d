//! The server of one test: `serve(listener, root)` on a free port of 127.0.0.1, in a task
//! of the test, with a fresh site folder. It runs until the test ends.

use std::io;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use lab07_web_server::server::serve;
use tokio::task::JoinHandle;

use super::raw::{RawClient, RawResponse};
use super::show;
use super::site::TestSite;
use harness::listener::free_port_listener;

pub struct TestServer {
    pub address: SocketAddr,
    pub site: TestSite,
    task: Mutex<Option<JoinHandle<io::Result<()>>>>,
}

impl TestServer {
    /// Starts `serve` with a new site folder.
    pub async fn start() -> TestServer {
        let site = TestSite::new();
        let (listener, address) = free_port_listener().await;
        let task = tokio::spawn(serve(listener, site.root.clone()));
        TestServer {
            address,
            site,
            task: Mutex::new(Some(task)),
        }
    }

    /// What the test knows about the server's side, for a failure message.
    pub async fn testimony(&self) -> String {
        let finished = self.task.lock().unwrap().take_if(|task| task.is_finished());
        let Some(task) = finished else {
            return String::new();
        };
        let ending = match tokio::time::timeout(Duration::from_millis(300), task).await {
            Ok(Ok(Ok(()))) => "serve returned Ok(()), but it should run for ever".to_string(),
            Ok(Ok(Err(error))) => format!("serve returned the error {error:?}"),
            Ok(Err(error)) => match error.try_into_panic() {
                Ok(payload) => {
                    let message = payload
                        .downcast_ref::<&str>()
                        .map(|text| text.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "a panic without a message".to_string());
                    format!("serve panicked: {message}")
                }
                Err(_) => "serve was cancelled".to_string(),
            },
            Err(_) => return String::new(),
        };
        format!("\n\nOn the server side, {ending}.")
    }

    /// Panics with `message`, what the server side knows, and `story` (the steps so far).
    pub async fn fail(&self, message: &str, story: &[String]) -> ! {
        let testimony = self.testimony().await;
        let story = if story.is_empty() {
            String::new()
        } else {
            format!("\n\nWhat happened so far:\n  {}", story.join("\n  "))
        };
        panic!("{message}{testimony}{story}")
    }

    /// A new connection to the server, or the test fails saying why.
    pub async fn connect(&self) -> RawClient {
        match RawClient::connect(self.address).await {
            Ok(client) => client,
            Err(message) => self.fail(&message, &[]).await,
        }
    }

    /// Sends `request` on a new connection and reads the response.
    pub async fn exchange(&self, request: &[u8]) -> RawResponse {
        let mut client = self.connect().await;
        let to_head = request.starts_with(b"HEAD ");
        let result = match client.send(request).await {
            Ok(()) => client.read_response(to_head).await,
            Err(error) => Err(error),
        };
        match result {
            Ok(response) => response,
            Err(message) => {
                self.fail(
                    &format!("The client sent {}, and then: {message}", show(request)),
                    &[],
                )
                .await
            }
        }
    }
}

/// A GET request for `target` with a Host field, and the other lines given (each
/// without its CR LF).
pub fn get(target: &str, lines: &[&str]) -> Vec<u8> {
    request("GET", target, lines, b"")
}

/// A request with a Host field, the other field lines given, and `body` (with its
/// `Content-Length` when it is not empty).
pub fn request(method: &str, target: &str, lines: &[&str], body: &[u8]) -> Vec<u8> {
    let mut fields = vec!["Host: 127.0.0.1"];
    fields.extend_from_slice(lines);
    raw_request(&format!("{method} {target} HTTP/1.1"), &fields, body)
}

/// A request as the client writes it: the request line, the field lines given (each
/// without its CR LF), the empty line, and the body (with its Content-Length when it is
/// not empty).
pub fn raw_request(line: &str, fields: &[&str], body: &[u8]) -> Vec<u8> {
    let mut head = format!("{line}\r\n");
    for field in fields {
        head += field;
        head += "\r\n";
    }
    if !body.is_empty() {
        head += &format!("Content-Length: {}\r\n", body.len());
    }
    head += "\r\n";
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}
