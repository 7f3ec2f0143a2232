//! A one-pass `docker save` stream (what an engine exports): layer blobs are read into trees
//! as they pass by, and only the trees and the small JSON documents are kept until the
//! manifest shows up (it may come last).
use std::collections::HashMap;
use std::io::{self, Read};
use std::sync::Arc;

use super::{member_name, resolve_links, ProgressReader, ReadOptions, Store};
use crate::error::{ImageError, Result};
use crate::layer::{read_layer_with, Compression, EntryBudget, LayerTree, Limits};

enum StreamItem {
    Json(Vec<u8>),
    Layer(Arc<LayerTree>, u64),
    Link(u8, String),
    Other,
}

pub(crate) struct StreamStore {
    ctx: String,
    items: HashMap<String, StreamItem>,
}

impl StreamStore {
    pub(crate) fn read(reader: impl Read, name: &str, opts: &ReadOptions<'_>) -> Result<StreamStore> {
        let ctx = name.to_string();
        let budget = EntryBudget::default();
        let mut archive = tar::Archive::new(ProgressReader {
            inner: reader,
            progress: opts.progress,
        });
        let mut items = HashMap::new();
        for entry in archive.entries().map_err(|e| ImageError::io(&ctx, e))? {
            let mut entry =
                entry.map_err(|e| ImageError::io(format!("{ctx}: reading stream"), e))?;
            let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Some(member) = member_name(&raw, &ctx, &opts.limits)? else {
                continue;
            };
            let typeflag = entry.header().entry_type().as_byte();
            let size = entry.size();
            let item = match typeflag {
                b'1' | b'2' => StreamItem::Link(
                    typeflag,
                    entry
                        .link_name_bytes()
                        .map(|l| String::from_utf8_lossy(&l).into_owned())
                        .unwrap_or_default(),
                ),
                b'0' | 0 | b'7' => {
                    // Sniff: JSON documents start with '{' or '['; everything else in a
                    // `docker save` stream is a layer blob.
                    let mut head = [0u8; 1];
                    let n = entry.read(&mut head).map_err(|e| ImageError::io(&ctx, e))?;
                    let is_json = n == 1 && (head[0] == b'{' || head[0] == b'[')
                        || member.ends_with(".json")
                        || member == "oci-layout"
                        || member == "repositories";
                    let layer_named = member.ends_with(".tar")
                        || member.ends_with(".tar.gz")
                        || member.ends_with(".tgz")
                        || member.starts_with("blobs/");
                    if !is_json && !layer_named {
                        // Legacy docker-archive extras (`<id>/VERSION`): neither JSON nor a layer.
                        io::copy(&mut entry, &mut io::sink())
                            .map_err(|e| ImageError::io(&ctx, e))?;
                        items.insert(member, StreamItem::Other);
                        continue;
                    }
                    if is_json {
                        if size > opts.limits.max_json_bytes {
                            return Err(ImageError::limit(
                                &ctx,
                                format!("'{member}' is {size} bytes, too big for a JSON document"),
                            ));
                        }
                        let mut buf = head[..n].to_vec();
                        entry
                            .read_to_end(&mut buf)
                            .map_err(|e| ImageError::io(&ctx, e))?;
                        StreamItem::Json(buf)
                    } else if n == 0 {
                        StreamItem::Layer(
                            Arc::new(LayerTree {
                                compression: Some(Compression::None),
                                ..Default::default()
                            }),
                            0,
                        )
                    } else {
                        let lctx = format!("{ctx}: layer {member}");
                        let tree = read_layer_with(
                            io::Cursor::new(head).chain(&mut entry),
                            &lctx,
                            &opts.limits,
                            &budget,
                            opts.capture,
                        )?;
                        StreamItem::Layer(Arc::new(tree), size)
                    }
                }
                _ => StreamItem::Other,
            };
            items.insert(member, item);
        }
        Ok(StreamStore { ctx, items })
    }
}

impl Store for StreamStore {
    fn has(&self, name: &str) -> bool {
        self.items.contains_key(name)
    }
    fn resolve(&self, name: &str) -> Result<String> {
        resolve_links(name, |n| {
            self.items.get(n).map(|i| match i {
                StreamItem::Link(t, l) => (*t, Some(l.clone())),
                StreamItem::Other => (b'5', None),
                _ => (b'0', None),
            })
        })
        .map_err(|m| ImageError::invalid(&self.ctx, m))
    }
    fn read_small(&self, name: &str, _limits: &Limits) -> Result<Vec<u8>> {
        match self.items.get(&self.resolve(name)?) {
            Some(StreamItem::Json(b)) => Ok(b.clone()),
            _ => Err(ImageError::invalid(
                &self.ctx,
                format!("'{name}' is not a JSON document"),
            )),
        }
    }
    fn size(&self, name: &str) -> u64 {
        match self.items.get(name) {
            Some(StreamItem::Layer(_, s)) => *s,
            Some(StreamItem::Json(b)) => b.len() as u64,
            _ => 0,
        }
    }
    fn layer(
        &self,
        name: &str,
        _opts: &ReadOptions<'_>,
        _budget: &EntryBudget,
    ) -> Result<Arc<LayerTree>> {
        match self.items.get(name) {
            Some(StreamItem::Layer(t, _)) => Ok(t.clone()),
            _ => Err(ImageError::invalid(
                &self.ctx,
                format!("'{name}' is not a layer"),
            )),
        }
    }
    fn context(&self) -> &str {
        &self.ctx
    }
}

