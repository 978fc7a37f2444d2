// ClickHouse's Node.js client (@clickhouse/client) against zeptodb: the
// compatibility notes' scenario T1-08, with the client as users run it.
// ZEPTODB_URL names a running server (.ci/run starts one).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createClient, ClickHouseError } from '@clickhouse/client'

const url = process.env.ZEPTODB_URL
assert.ok(url, 'set ZEPTODB_URL to a running zeptodb')
const client = createClient({ url })
const table = `js_t_${process.pid}`

before(async () => {
  const res = await client.command({
    query: `CREATE TABLE ${table} (ts DateTime, sym String, px Float64, qty Int64) ENGINE = MergeTree ORDER BY ts`,
  })
  assert.equal(typeof res.summary, 'object')
})
after(async () => { await client.close() })

test('ping', async () => {
  assert.deepEqual(await client.ping(), { success: true })
})

test('insert in JSONEachRow and JSONCompactEachRow, read back in every format', async () => {
  const r1 = await client.insert({
    table,
    values: [
      { ts: '2024-01-02 03:04:05', sym: 'AAPL', px: 1.5, qty: 10 },
      { ts: '2024-01-02 03:04:06', sym: 'MSFT', px: 2.5, qty: '-3' },
    ],
    format: 'JSONEachRow',
  })
  assert.equal(r1.executed, true)
  assert.equal(r1.summary.written_rows, '2')
  const r2 = await client.insert({ table, values: [['2024-01-02 03:04:07', 'A\tB', 0.25, 7]] }) // JSONCompactEachRow
  assert.equal(r2.executed, true)

  const json = await (await client.query({ query: `SELECT * FROM ${table} ORDER BY ts`, format: 'JSON' })).json()
  assert.deepEqual(json.meta.map((m) => m.name), ['ts', 'sym', 'px', 'qty'])
  assert.equal(json.rows, 3)
  assert.deepEqual(json.data[1], { ts: '2024-01-02 03:04:06.000000000', sym: 'MSFT', px: 2.5, qty: '-3' })
  assert.equal(typeof json.statistics.elapsed, 'number')

  const each = await (await client.query({ query: `SELECT sym, qty FROM ${table} ORDER BY ts`, format: 'JSONEachRow' })).json()
  assert.deepEqual(each, [{ sym: 'AAPL', qty: '10' }, { sym: 'MSFT', qty: '-3' }, { sym: 'A\tB', qty: '7' }])

  const compact = await (await client.query({ query: `SELECT sym, px FROM ${table} ORDER BY ts`, format: 'JSONCompactEachRow' })).json()
  assert.deepEqual(compact, [['AAPL', 1.5], ['MSFT', 2.5], ['A\tB', 0.25]])

  const rows = []
  const stream = (await client.query({ query: `SELECT qty FROM ${table} ORDER BY ts`, format: 'JSONEachRow' })).stream()
  for await (const batch of stream) {
    for (const row of batch) rows.push(row.json())
  }
  assert.deepEqual(rows, [{ qty: '10' }, { qty: '-3' }, { qty: '7' }])

  const csv = await (await client.query({ query: `SELECT sym, px FROM ${table} ORDER BY ts`, format: 'CSV' })).text()
  assert.equal(csv, '"AAPL",1.5\n"MSFT",2.5\n"A\tB",0.25\n')
  const tsv = await (await client.query({ query: `SELECT sym, qty FROM ${table} ORDER BY ts`, format: 'TabSeparated' })).text()
  assert.equal(tsv, 'AAPL\t10\nMSFT\t-3\nA\\tB\t7\n')
})

test('query parameters', async () => {
  const rs = await client.query({ query: 'SELECT {a:UInt32} + 1 AS v, {s:String} AS s', format: 'JSONEachRow', query_params: { a: 41, s: "it's" } })
  const [row] = await rs.json()
  assert.equal(Number(row.v), 42)
  assert.equal(row.s, "it's")
})

test('exec streams its own format', async () => {
  const res = await client.exec({ query: 'SELECT 1 AS x FORMAT TabSeparated' })
  let text = ''
  for await (const chunk of res.stream) text += chunk
  assert.equal(text, '1\n')
})

test('errors are typed ClickHouseErrors', async () => {
  await assert.rejects(client.query({ query: 'SELECT * FROM nosuch_table', format: 'JSON' }), (err) => {
    assert.ok(err instanceof ClickHouseError, `${err}`)
    assert.equal(err.code, '60')
    assert.equal(err.type, 'UNKNOWN_TABLE')
    return true
  })
  await assert.rejects(client.command({ query: 'SELEC 1' }), (err) => err instanceof ClickHouseError && err.code === '62')
})

test('keep-alive: 50 sequential queries with pauses longer than the client idle timeout', async () => {
  // The client drops idle sockets after 2.5 s; the server keeps them for
  // minutes and says timeout=10: no request may fail with ECONNRESET.
  for (let i = 0; i < 50; i++) {
    if (i % 20 === 10) await new Promise((r) => setTimeout(r, 3000))
    const rows = await (await client.query({ query: `SELECT ${i} AS i`, format: 'JSONEachRow' })).json()
    assert.equal(Number(rows[0].i), i)
  }
})
