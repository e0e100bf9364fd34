//! Files in and out of the browser: downloads through a Blob URL, uploads through `File`.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, text: &str, mime: &str) -> Result<(), String> {
    download_js(file_name, wasm_bindgen::JsValue::from_str(text), mime)
}

/// Offers a JS string, bytes (a `Uint8Array`) or a `Blob` as a download named `file_name`.
pub fn download_js(file_name: &str, text: wasm_bindgen::JsValue, mime: &str) -> Result<(), String> {
    let fail = |_| "the browser refused the download".to_string();
    let parts = js_sys::Array::of1(&text);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    // Revoke later: revoking at once can cancel the download in some browsers.
    leptos::prelude::set_timeout(
        move || drop(web_sys::Url::revoke_object_url(&url)),
        std::time::Duration::from_secs(5),
    );
    Ok(())
}

/// The largest PNG made, in pixels: a bigger canvas takes seconds to draw and encode (and browsers
/// refuse very large ones), so a big diagram is exported at a smaller scale.
const MAX_PNG_PIXELS: f64 = 2_400_000.0;

/// Encodes RGBA pixels as a PNG file elsewhere (the analysis worker, `core::png`): called with the
/// width, the height and the pixels' `ArrayBuffer`, it calls back with the file's bytes (a `Uint8Array`).
pub type PngEncoder = Box<dyn FnOnce(u32, u32, wasm_bindgen::JsValue, Box<dyn FnOnce(Result<wasm_bindgen::JsValue, String>)>)>;

/// Renders an SVG document into a PNG of `width × height` diagram units at `scale` (less when that
/// would pass `MAX_PNG_PIXELS`), downloads it, and then calls `done`. The browser draws the picture;
/// `encoder` (the worker) writes the file off the page's thread, or without one the browser's own
/// encoder does (`canvas.toBlob`, off the page's thread too but about ten times slower).
pub fn download_png(
    file_name: &str,
    svg: &str,
    width: f64,
    height: f64,
    scale: f64,
    encoder: Option<PngEncoder>,
    done: impl FnOnce(Result<(), String>) + 'static,
) -> Result<(), String> {
    let fail = |_| "the browser refused to draw the picture".to_string();
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let scale = scale.min((MAX_PNG_PIXELS / (width * height).max(1.0)).sqrt());
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let image = web_sys::HtmlImageElement::new().map_err(fail)?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").map_err(fail)?.unchecked_into();
    let (pixels_w, pixels_h) = ((width * scale).round().max(1.0) as u32, (height * scale).round().max(1.0) as u32);
    canvas.set_width(pixels_w);
    canvas.set_height(pixels_h);
    let name = file_name.to_string();
    let img = image.clone();
    let url_done = url.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url_done);
        let draw = |canvas: &web_sys::HtmlCanvasElement| -> Result<web_sys::CanvasRenderingContext2d, wasm_bindgen::JsValue> {
            let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d context")?.unchecked_into();
            ctx.scale(scale, scale)?;
            ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, width, height)?;
            Ok(ctx)
        };
        let Ok(ctx) = draw(&canvas) else {
            return done(Err("the browser refused to draw the picture".into()));
        };
        let save = move |file: Result<wasm_bindgen::JsValue, String>| {
            done(file.and_then(|file| download_js(&name, file, "image/png")));
        };
        // The pixels' buffer, read without copying them into the page's memory.
        let pixels = encoder.and_then(|encode| {
            let data = ctx.get_image_data(0.0, 0.0, pixels_w as f64, pixels_h as f64).ok()?;
            let buffer = js_sys::Reflect::get(&js_sys::Reflect::get(&data, &"data".into()).ok()?, &"buffer".into()).ok()?;
            Some((encode, buffer))
        });
        match pixels {
            Some((encode, buffer)) => encode(pixels_w, pixels_h, buffer, Box::new(save)),
            None => {
                let encoded = wasm_bindgen::closure::Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
                    save(if blob.is_instance_of::<web_sys::Blob>() {
                        Ok(blob)
                    } else {
                        Err("the browser could not encode the PNG".into())
                    })
                });
                if canvas.to_blob_with_type(encoded.unchecked_ref(), "image/png").is_err() {
                    // `done` went with the callback; the browser refused before calling it.
                    leptos::logging::warn!("toBlob refused");
                }
            }
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&url);
    Ok(())
}

/// Opens an empty tab now (while the click still allows it), for a page made later (`show_html`).
pub fn open_blank() -> Result<web_sys::Window, String> {
    let window = web_sys::window().ok_or("no window")?;
    window
        .open_with_url_and_target("about:blank", "_blank")
        .map_err(|_| "the browser refused to open the page".to_string())?
        .ok_or_else(|| "a pop-up blocker stopped it".to_string())
}

/// Shows an HTML document (from a Blob URL) in a tab opened by `open_blank`, where the browser can print or save it.
pub fn show_html(tab: &web_sys::Window, html: wasm_bindgen::JsValue) -> Result<(), String> {
    let fail = |_| "the browser refused to open the page".to_string();
    let parts = js_sys::Array::of1(&html);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/html");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    tab.location().set_href(&url).map_err(fail)?;
    // The new tab keeps its own copy; revoke later so it has time to load.
    leptos::prelude::set_timeout(
        move || drop(web_sys::Url::revoke_object_url(&url)),
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// Reads the bytes of a user-chosen file.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{} could not be read", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Fetches a text file of the app itself (the example plans), or says why it cannot.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let failed = |_| format!("{url} could not be loaded");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.map_err(failed)?.unchecked_into();
    if !response.ok() {
        return Err(format!("{url} could not be loaded (HTTP {})", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    text.as_string().ok_or_else(|| format!("{url} is not text"))
}

/// A file name made from a plan name: letters, digits, `-` and `_` only, never empty.
pub fn plan_file_name(plan_name: &str) -> String {
    let mut stem: String = plan_name
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    stem.truncate(stem.char_indices().nth(80).map_or(stem.len(), |(i, _)| i));
    if stem.is_empty() {
        stem = "cen-plan".into();
    }
    format!("{stem}.cen-plan.json")
}
