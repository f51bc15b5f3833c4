// A placeholder until the web chat lands: lists chats and messages from /sim/api.
export function simPage(): string {
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>技能认定助手 · 本地模拟飞书</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}pre{background:#f5f5f5;padding:.5em;white-space:pre-wrap}</style>
<h1>本地模拟飞书开放平台</h1>
<p>以某个用户身份发消息：</p>
<form id="f"><input id="o" value="ou_demo_student" size="24"> <input id="t" placeholder="输入消息" size="40"> <button>发送</button></form>
<div id="c"></div>
<script>
async function load(){const chats=await (await fetch('/sim/api/chats')).json();let h='';
for(const c of chats){const ms=await (await fetch('/sim/api/chats/'+c.chatId+'/messages')).json();
h+='<h3>'+(c.type==='p2p'?'单聊 ':'群聊 ')+c.name+'</h3>';for(const m of ms){h+='<pre>'+(m.sender.type==='app'?'机器人':m.sender.id)+' ['+m.msgType+']\\n'+JSON.stringify(m.content,null,1).replace(/</g,'&lt;')+'</pre>'}}
document.getElementById('c').innerHTML=h}
document.getElementById('f').onsubmit=async e=>{e.preventDefault();await fetch('/sim/api/messages',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({openId:document.getElementById('o').value,text:document.getElementById('t').value})});setTimeout(load,500)};
load();setInterval(load,3000);
</script></html>`;
}
