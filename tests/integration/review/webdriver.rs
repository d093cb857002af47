//! Just enough of a WebDriver client to drive headless Chromium through `chromedriver`:
//! HTTP/1.1 over a local socket, JSON in and out. (A client crate would cost minutes of
//! compile time on CI for the dozen calls these tests make.)

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key WebDriver gives an element reference under.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running `chromedriver` and one browser session; both end when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Browser {
    /// Starts `chromedriver` (or `$TALIGN_CHROMEDRIVER`) and a headless Chromium session
    /// (`$TALIGN_CHROMIUM`, else `/usr/bin/chromium`). Panics, saying what to install, when
    /// either is missing: `scripts/test.sh` installs both.
    pub fn start() -> Browser {
        let driver_bin =
            std::env::var("TALIGN_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let chromium =
            std::env::var("TALIGN_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free local port")
            .port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{driver_bin}: {e}; the browser tests need Chromium and its WebDriver: \
                     apt-get install chromium chromium-driver (scripts/test.sh does)"
                )
            });
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(status) = browser.call("GET", "/status", None)
                && status["ready"] == json!(true)
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start in 20 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,1000",
                         "--autoplay-policy=no-user-gesture-required", "--mute-audio"]
            }
        }}});
        let session = browser
            .call("POST", "/session", Some(&capabilities))
            .unwrap_or_else(|e| panic!("no browser session ({chromium}): {e}"));
        browser.session = session["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        browser
    }

    /// One WebDriver command; `Err` with WebDriver's message when it reports an error.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .map_err(|e| e.to_string())?;
        let body = body.map(Value::to_string).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )
        .map_err(|e| e.to_string())?;
        // chromedriver may keep the connection open: read the header, then exactly the
        // body it announces (or, chunked, up to the last chunk).
        let mut raw = Vec::new();
        let mut buf = [0u8; 65536];
        let (split, head) = loop {
            let n = read_some(&mut stream, &mut buf)?;
            if n == 0 {
                return Err("connection closed before the header".into());
            }
            raw.extend_from_slice(&buf[..n]);
            if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break (
                    split,
                    String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase(),
                );
            }
        };
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        let chunked = head.contains("transfer-encoding: chunked");
        loop {
            let have = raw.len() - (split + 4);
            let complete = match length {
                Some(length) => have >= length,
                None if chunked => raw.ends_with(b"0\r\n\r\n"),
                None => false,
            };
            if complete {
                break;
            }
            let n = read_some(&mut stream, &mut buf)?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        let body = &raw[split + 4..];
        let body = if chunked {
            dechunk(body)
        } else {
            body[..length.unwrap_or(body.len()).min(body.len())].to_vec()
        };
        let payload = String::from_utf8_lossy(&body);
        let value: Value = serde_json::from_str(&payload).map_err(|e| format!("{e}: {payload}"))?;
        let value = value.get("value").cloned().unwrap_or(value);
        if let Some(error) = value.get("error") {
            return Err(format!("{error}: {}", value["message"]));
        }
        Ok(value)
    }

    /// A command of this session.
    fn session_call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    /// Opens `url` and waits for the page to load.
    pub fn open(&self, url: &str) {
        self.session_call("POST", "/url", Some(&json!({ "url": url })));
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its value.
    pub fn run(&self, script: &str, args: Value) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(&json!({ "script": script, "args": args })),
        )
    }

    /// Waits until `script` returns true, up to `seconds`.
    pub fn wait_for(&self, script: &str, seconds: u64) {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        while self.run(script, json!([])) != json!(true) {
            assert!(Instant::now() < deadline, "timed out waiting for: {script}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clicks the element `css` selects, as a person would (scrolled into view first).
    pub fn click(&self, css: &str) {
        let found = self.session_call(
            "POST",
            "/element",
            Some(&json!({ "using": "css selector", "value": css })),
        );
        let id = found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{css}: no element reference in {found}"));
        // In the middle of the window, clear of sticky bars, as a person would scroll it.
        self.run(
            "arguments[0].scrollIntoView({block: 'center'});",
            json!([{ ELEMENT: id }]),
        );
        self.session_call("POST", &format!("/element/{id}/click"), Some(&json!({})));
    }

    /// Presses and releases `key` (a character, or a WebDriver key code such as `\u{E009}`
    /// for Control) with `modifiers` held, on whatever has the focus.
    pub fn press(&self, key: &str, modifiers: &[&str]) {
        let mut actions: Vec<Value> = modifiers
            .iter()
            .map(|m| json!({"type": "keyDown", "value": m}))
            .collect();
        actions.push(json!({"type": "keyDown", "value": key}));
        actions.push(json!({"type": "keyUp", "value": key}));
        actions.extend(
            modifiers
                .iter()
                .rev()
                .map(|m| json!({"type": "keyUp", "value": m})),
        );
        self.session_call(
            "POST",
            "/actions",
            Some(&json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
        self.session_call("DELETE", "/actions", None);
    }

    /// Drags the mouse from one point of the viewport to another, in steps.
    pub fn drag(&self, from: (i64, i64), to: (i64, i64)) {
        let mut actions = vec![
            json!({"type": "pointerMove", "duration": 0, "x": from.0, "y": from.1}),
            json!({"type": "pointerDown", "button": 0}),
        ];
        for k in 1..=5 {
            let x = from.0 + (to.0 - from.0) * k / 5;
            let y = from.1 + (to.1 - from.1) * k / 5;
            actions.push(json!({"type": "pointerMove", "duration": 20, "x": x, "y": y}));
        }
        actions.push(json!({"type": "pointerUp", "button": 0}));
        self.session_call(
            "POST",
            "/actions",
            Some(&json!({"actions": [{"type": "pointer", "id": "mouse",
                "parameters": {"pointerType": "mouse"}, "actions": actions}]})),
        );
        self.session_call("DELETE", "/actions", None);
    }

    /// The browser console's entries since the last call: (level, message).
    pub fn console(&self) -> Vec<(String, String)> {
        let entries = self.session_call("POST", "/se/log", Some(&json!({ "type": "browser" })));
        entries
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["level"].as_str().unwrap_or("").to_owned(),
                    e["message"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The body of a chunked HTTP response.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok());
        let after = &rest[eol + 2..];
        match size {
            Some(size) if size > 0 && after.len() >= size => {
                out.extend_from_slice(&after[..size]);
                rest = after[size..]
                    .strip_prefix(b"\r\n")
                    .unwrap_or(&after[size..]);
            }
            _ => break,
        }
    }
    out
}

/// One `read`, retried when a signal interrupts it (EINTR: under load the session's start can
/// outlast a signal delivered to the test process; `Read::read` does not retry by itself).
fn read_some(stream: &mut TcpStream, buf: &mut [u8]) -> Result<usize, String> {
    loop {
        match stream.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other.map_err(|e| e.to_string()),
        }
    }
}
