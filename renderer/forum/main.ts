import { createApp } from 'vue';
import ForumApp from './ForumApp.vue';
import '../shared/base.css';
import '../shared/app.css';
import './theme.css';

createApp(ForumApp).mount('#app');
